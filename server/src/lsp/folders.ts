// One Engine per workspace folder, all reading through one DiskHost. Settings are
// resource-scoped, so two folders of a multi-root workspace may target different clusters;
// files outside every folder use the window-level settings.
import * as nodePath from 'node:path';
import { LanguageService, type DiskHost } from '../engine';
import { readSettings, type ClientEnvironment, type ServerSettings } from './settings';
import { uriToPath } from './uri';

export interface WorkspaceFolderRef {
  uri: string;
  path: string;
}

export interface FolderState {
  /** The folder, or undefined for files outside every workspace folder. */
  folder?: WorkspaceFolderRef;
  engine: LanguageService;
  settings: ServerSettings;
  /** Settles when settings for this folder have been fetched (or given up on). */
  ready: Promise<void>;
}

/** Fetches the raw `airgapLint` section for a scope (a folder URI, or undefined for the window). */
export type SettingsSource = (scopeUri: string | undefined) => Promise<unknown>;

export class Folders {
  private folders: WorkspaceFolderRef[] = [];
  private readonly states = new Map<string, FolderState>();

  constructor(
    private readonly host: DiskHost,
    private readonly fetchSettings: SettingsSource,
    private readonly logError: (message: string, err: unknown) => void,
  ) {}

  /** Facts about the client that shape settings (set once, at initialize). */
  client: ClientEnvironment = {};

  /** Replaces the workspace folders; engines of removed folders are dropped. */
  setFolders(folders: Array<{ uri: string }>): void {
    this.folders = folders
      .map((f) => ({ uri: f.uri, path: uriToPath(f.uri) }))
      .filter((f): f is WorkspaceFolderRef => f.path !== undefined)
      // Longest first, so nested folders win over their parents.
      .sort((a, b) => b.path.length - a.path.length);
    const keep = new Set(['', ...this.folders.map((f) => f.uri)]);
    for (const key of [...this.states.keys()]) if (!keep.has(key)) this.states.delete(key);
  }

  folderOf(path: string): WorkspaceFolderRef | undefined {
    return this.folders.find((f) => path === f.path || path.startsWith(f.path.endsWith(nodePath.sep) ? f.path : f.path + nodePath.sep));
  }

  /** The folder state for a file, once its settings are known. */
  async stateFor(path: string): Promise<FolderState> {
    const state = this.peek(path) ?? this.create(this.folderOf(path));
    await state.ready;
    return state;
  }

  /** The folder state if it exists already (no settings fetch). */
  peek(path: string): FolderState | undefined {
    return this.states.get(this.folderOf(path)?.uri ?? '');
  }

  private create(folder: WorkspaceFolderRef | undefined): FolderState {
    const settings = readSettings(undefined, folder?.path, this.client);
    const state: FolderState = { folder, engine: new LanguageService(this.host, { settings: settings.config }), settings, ready: Promise.resolve() };
    state.ready = this.load(state);
    this.states.set(folder?.uri ?? '', state);
    return state;
  }

  private async load(state: FolderState): Promise<void> {
    let raw: unknown;
    try {
      raw = await this.fetchSettings(state.folder?.uri);
    } catch (err) {
      this.logError('Could not read the airgapLint settings; using defaults.', err);
    }
    state.settings = readSettings(raw, state.folder?.path, this.client);
    state.engine.setSettings(state.settings.config);
  }

  /** Re-fetches settings for every folder in use (settings changed). */
  async reloadSettings(): Promise<void> {
    const states = [...this.states.values()];
    for (const state of states) state.ready = this.load(state);
    await Promise.all(states.map((s) => s.ready));
  }

  /** A config file changed: every folder re-resolves its configs. */
  invalidateConfigs(): void {
    for (const state of this.states.values()) state.engine.invalidateConfigs();
  }

  /** Drops a file's parsed document from every engine (it may be a layer of another folder's file). */
  forget(path: string): void {
    for (const state of this.states.values()) state.engine.forget(path);
  }

  /** Replaces a folder's engine with an empty one: frees every cache it held. */
  resetEngine(state: FolderState): void {
    state.engine = new LanguageService(this.host, { settings: state.settings.config });
  }

  get all(): FolderState[] {
    return [...this.states.values()];
  }
}
