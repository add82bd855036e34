" Headless Vim 9.0 + Debian vim-ale 3.3 end-to-end check of the DMA Lint language server.
" usage: NODE=node SERVER=out/server/src/lsp/main.js \
"   vim -N -u NONE -i NONE -n -es -S vim-ale.vim FILE.c </dev/null >LOG
" stdout must be a plain file (or a tty): writefile() to /dev/stdout fails on a socket pipe.
" For each finding (all dma/unchecked-map): :ALECodeAction, and ALE's numbered menu is
" answered with the number of the "Disable dma/unchecked-map for this line" entry.
let s:rule = 'dma/unchecked-map'
let s:title = 'Disable ' . s:rule . ' for this line'
func Out(s)
  call writefile([a:s], '/dev/stdout', 'a')
endfunc
func Fail(s)
  call Out('FAIL: ' . a:s) | cquit 1
endfunc
func WaitFor(expr, ms)
  let l:t = 0
  while !eval(a:expr) && l:t < a:ms | sleep 20m | let l:t += 20 | endwhile
  return eval(a:expr)
endfunc
func Loclist()
  return get(get(g:ale_buffer_info, bufnr(''), {}), 'loclist', [])
endfunc

set packpath+=/usr/share/vim/vimfiles
let g:ale_linters_explicit = 1
let g:ale_linters = {'c': ['dma-lint']}
let g:ale_echo_cursor = 0
packadd ale
call ale#linter#Define('c', {
\ 'name': 'dma-lint', 'lsp': 'stdio',
\ 'executable': empty($NODE) ? 'node' : $NODE,
\ 'command': '%e ' . shellescape($SERVER) . ' --stdio',
\ 'project_root': {b -> getcwd()},
\})
set filetype=c
runtime autoload/ale/util.vim
let s:menu_seen = 0
" ALE's code action menu: 'Code Fixes:\n1) title\n2) title\n...Type number...'.
" Answer with the number of the entry whose title matches, never a fixed position.
func! ale#util#Input(prompt, default, ...) abort
  let s:menu_seen = 1
  let l:titles = []
  let l:pick = ''
  for l:line in split(a:prompt, "\n")
    let l:m = matchlist(l:line, '^\(\d\+\)) \(.*\)$')
    if !empty(l:m)
      call add(l:titles, l:m[2])
      if l:m[2] is# s:title | let l:pick = l:m[1] | endif
    endif
  endfor
  call Out('CODE_ACTIONS ' . json_encode(l:titles))
  if l:pick is# '' | call Fail('no "' . s:title . '" action offered') | endif
  call Out('CHOSEN ' . s:title)
  return l:pick
endfunc

func Main()
  ALELint
  if !WaitFor('len(Loclist()) > 0', 10000) | call Fail('no diagnostics in 10s') | endif
  call Out('DIAGNOSTICS ' . json_encode(map(copy(Loclist()),
  \ {_, d -> {'lnum': d.lnum, 'col': d.col, 'type': d.type, 'code': get(d, 'code', ''), 'text': d.text}})))
  for l:d in Loclist()
    if get(l:d, 'code', '') isnot# s:rule | call Fail('unexpected diagnostic code ' . get(l:d, 'code', '')) | endif
  endfor
  for l:i in range(10)
    let l:n = len(Loclist())
    if l:n == 0 | break | endif
    let l:d = Loclist()[0]
    call cursor(l:d.lnum, l:d.col)
    let l:tick = b:changedtick
    let s:menu_seen = 0
    ALECodeAction
    if !WaitFor('b:changedtick != ' . l:tick, 5000)
      call Fail(s:menu_seen ? 'code action not applied' : 'no code action menu')
    endif
    ALELint
    if !WaitFor('len(Loclist()) < ' . l:n, 5000) | call Fail('diagnostics not refreshed') | endif
  endfor
  silent write
  call Out('DIAGNOSTICS_AFTER_FIX ' . len(Loclist()))
  call Out(len(Loclist()) == 0 ? 'PASS' : 'FAIL: diagnostics not cleared')
endfunc

call Main()
if len(Loclist()) == 0 | qall! | else | cquit 1 | endif
