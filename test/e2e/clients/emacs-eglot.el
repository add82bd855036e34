;;; emacs-eglot.el --- Batch Emacs 28 + Debian elpa-eglot 1.9 end-to-end check of DMA Lint -*- lexical-binding: t -*-
;;; usage: NODE=node SERVER=out/server/src/lsp/main.js emacs --batch -Q -l emacs-eglot.el FILE.c
;;; For each finding (all dma/unchecked-map) it runs the interactive `eglot-code-actions'
;;; path and answers eglot's `completing-read' menu with the title
;;; "Disable dma/unchecked-map for this line".
(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa") ; Debian elpa-* packages
(package-initialize)
(require 'eglot)
(require 'json)
(require 'cl-lib)
(defconst e2e-rule "dma/unchecked-map")
(defconst e2e-title (format "Disable %s for this line" e2e-rule))
(setq eglot-server-programs
      `((c-mode . (,(or (getenv "NODE") "node") ,(getenv "SERVER") "--stdio")))
      eglot-sync-connect t)
(defun out (fmt &rest args) (princ (concat (apply #'format fmt args) "\n")))
(defun fail (msg) (out "FAIL: %s" msg) (kill-emacs 1))
(defun wait-until (pred secs)
  (let ((deadline (+ (float-time) secs)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (funcall pred)))
(defun diag-code (d)
  (plist-get (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d))) :code))

;; eglot's menu: `completing-read' over the action titles (when more than one could
;; apply).  Answer it by title, never by position, and log what was offered.
(defvar e2e-menu-seen nil)
(defun e2e-completing-read (_prompt collection &rest _)
  (let ((titles (mapcar (lambda (c) (if (consp c) (car c) c)) collection)))
    (setq e2e-menu-seen t)
    (out "CODE_ACTIONS %s" (json-encode titles))
    (if (member e2e-title titles)
        (progn (out "CHOSEN %s" e2e-title) e2e-title)
      (fail (format "no %S action offered" e2e-title)))))

(find-file (pop command-line-args-left))
(c-mode)
(apply #'eglot (eglot--guess-contact))
(unless (eglot-current-server) (fail "no server"))
(flymake-start)                            ; batch mode: no post-command-hook to kick it off
(unless (wait-until (lambda () (flymake-diagnostics)) 10) (fail "no diagnostics in 10s"))
(out "DIAGNOSTICS %s"
     (json-encode (mapcar (lambda (d) `((line . ,(line-number-at-pos (flymake-diagnostic-beg d)))
                                        (type . ,(flymake-diagnostic-type d))
                                        (code . ,(diag-code d))
                                        (text . ,(flymake-diagnostic-text d))))
                          (flymake-diagnostics))))
(dolist (d (flymake-diagnostics))
  (unless (equal (diag-code d) e2e-rule) (fail (format "unexpected diagnostic code %S" (diag-code d)))))
(dotimes (_ 10)
  (let ((d (car (flymake-diagnostics))))
    (when d
      (let ((n (length (flymake-diagnostics)))
            (tick (buffer-chars-modified-tick))
            (last-nonmenu-event ?\r))      ; a keyboard event: eglot's menu is `completing-read'
        (goto-char (flymake-diagnostic-beg d))
        (setq e2e-menu-seen nil)
        ;; ACTION-KIND nil: all kinds, so eglot always shows its menu and we pick by title
        (cl-letf (((symbol-function 'completing-read) #'e2e-completing-read))
          (eglot-code-actions (flymake-diagnostic-beg d) (flymake-diagnostic-end d) nil t))
        (unless e2e-menu-seen (fail "eglot showed no code action menu"))
        (unless (/= tick (buffer-chars-modified-tick)) (fail "code action not applied"))
        ;; batch mode runs no idle timers, so send the pending didChange ourselves
        (eglot--signal-textDocument/didChange)
        ;; re-run flymake until the server's re-published (smaller) set has landed
        (unless (wait-until (lambda () (flymake-start)
                              (accept-process-output nil 0.05)
                              (< (length (flymake-diagnostics)) n)) 5)
          (fail "diagnostics not refreshed after code action"))))))
(save-buffer)
(out "DIAGNOSTICS_AFTER_FIX %d" (length (flymake-diagnostics)))
(let ((ok (null (flymake-diagnostics))))
  (eglot-shutdown (eglot-current-server))
  (out (if ok "PASS" "FAIL: diagnostics not cleared"))
  (kill-emacs (if ok 0 1)))
