-- Headless Neovim 0.7 end-to-end check of the DMA Lint language server.
-- usage: NODE=node SERVER=out/server/src/lsp/main.js \
--   nvim --headless -u NONE -i NONE -n -c "luafile nvim-lsp.lua" FILE.c
-- Expects exactly the fixture's findings (all dma/unchecked-map); for each one it asks
-- for code actions through the stock vim.lsp.buf.code_action() and picks, by title,
-- "Disable dma/unchecked-map for this line".
local RULE = 'dma/unchecked-map'
local TITLE = 'Disable ' .. RULE .. ' for this line'
local out = function(s) io.stdout:write(s .. '\n'); io.stdout:flush() end
local function fail(msg) out('FAIL: ' .. msg); vim.cmd('cquit 1') end
local bufnr = vim.api.nvim_get_current_buf()
vim.bo[bufnr].filetype = 'c'            -- -u NONE: no filetype detection

local client_id = vim.lsp.start_client({
  name = 'dma-lint',
  cmd = { os.getenv('NODE') or 'node', os.getenv('SERVER'), '--stdio' },
  root_dir = vim.fn.getcwd(),
  on_exit = function(code) if code ~= 0 then out('server exited ' .. code) end end,
})
if not client_id then fail('start_client') end
vim.lsp.buf_attach_client(bufnr, client_id)

-- Neovim 0.7 keeps the LSP code under user_data.lsp; later versions copy it to d.code.
local function code_of(d) return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) end

-- 1. wait for the published diagnostics
if not vim.wait(10000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20) then
  fail('no diagnostics within 10s')
end
local diags = vim.diagnostic.get(bufnr)
out('DIAGNOSTICS ' .. vim.fn.json_encode(vim.tbl_map(function(d)
  return { lnum = d.lnum, col = d.col, severity = d.severity, source = d.source,
           code = code_of(d), message = d.message } end, diags)))
for _, d in ipairs(diags) do
  if code_of(d) ~= RULE then fail('unexpected diagnostic code ' .. tostring(code_of(d))) end
end

-- 2. Neovim 0.7 routes even a single action through vim.ui.select: answer it by title
vim.ui.select = function(items, _, on_choice)
  local titles = vim.tbl_map(function(i) return (i[2] or i.action or i).title end, items)
  out('CODE_ACTIONS ' .. vim.fn.json_encode(titles))
  for idx, t in ipairs(titles) do
    if t == TITLE then out('CHOSEN ' .. t); return on_choice(items[idx], idx) end
  end
  fail('no "' .. TITLE .. '" action offered')
end
for _ = 1, 20 do
  local d = vim.diagnostic.get(bufnr)
  if #d == 0 then break end
  vim.api.nvim_win_set_cursor(0, { d[1].lnum + 1, d[1].col })
  local before = vim.api.nvim_buf_get_changedtick(bufnr)
  vim.lsp.buf.code_action()
  if not vim.wait(5000, function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= before end, 20)
    then fail('code action not applied') end
  -- 3. the server re-lints on didChange; wait for the new (smaller) diagnostic set
  if not vim.wait(5000, function() return #vim.diagnostic.get(bufnr) < #d end, 20)
    then fail('diagnostics not refreshed') end
end
local left = #vim.diagnostic.get(bufnr)
out('DIAGNOSTICS_AFTER_FIX ' .. left)
vim.cmd('silent write')
vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
out(left == 0 and 'PASS' or 'FAIL: diagnostics not cleared')
vim.cmd(left == 0 and 'qall!' or 'cquit 1')
