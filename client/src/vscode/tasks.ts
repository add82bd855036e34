import { type ExtensionContext, ProcessExecution, Task, type TaskProvider, TaskScope, type WorkspaceFolder, workspace } from 'vscode';
import { type LspCheckTaskDefinition, lspCheckArgs, TASK_TYPE } from './taskArgs';

/**
 * Provides "dma-lint: check <folder>" for each workspace folder and resolves user-defined
 * `{ "type": "dma-lint", ... }` tasks from tasks.json. The bundled lsp-check runs on the
 * editor's own Node runtime (ELECTRON_RUN_AS_NODE: VS Code's executable is Electron).
 */
export class LspCheckTaskProvider implements TaskProvider {
  constructor(private readonly context: ExtensionContext) {}

  provideTasks(): Task[] {
    return (workspace.workspaceFolders ?? []).map((folder) => this.build({ type: TASK_TYPE }, folder, `check ${folder.name}`));
  }

  resolveTask(task: Task): Task | undefined {
    const def = task.definition as LspCheckTaskDefinition;
    if (def.type !== TASK_TYPE) return undefined;
    const folder = typeof task.scope === 'object' ? task.scope : workspace.workspaceFolders?.[0];
    return this.build(def, folder, task.name);
  }

  private build(def: LspCheckTaskDefinition, folder: WorkspaceFolder | undefined, name: string): Task {
    const cli = this.context.asAbsolutePath('bin/lsp-check.js');
    const execution = new ProcessExecution(process.execPath, [cli, ...lspCheckArgs(def)], {
      cwd: folder?.uri.fsPath,
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
    return new Task(def, folder ?? TaskScope.Workspace, name, TASK_TYPE, execution, '$dma-lint');
  }
}
