/**
 * Glue between the stores, the engine and the browser: every user action
 * that does more than one edit lives here, and so do the side effects
 * (socket, HTTP, localStorage, downloads). Views call it and subscribe to
 * its stores; none of them talks to the engine directly.
 */
import type { LibraryEntry, PipelineIssue, ServerMessage } from '@reelgraph/engine';
import { definitionIdOf, expandReusableGraphs, GRAPH_TYPE_PREFIX, isGraphUse, outermostUse, PATH_SEPARATOR } from '@reelgraph/engine/reusable-graphs';
import { indexCatalog, readParamSpec, type Catalog, type CatalogEntry, type Welcome } from '../catalog/catalog-types.ts';
import { connectNodes } from '../document/connect-nodes.ts';
import { DocumentStore } from '../document/document-store.ts';
import { addNode, moveNodes, removeEdges, removeNodes, setNodeTitle, setParam, type XY } from '../document/node-operations.ts';
import { copyFragment, keepableIncoming, pasteFragment } from '../document/pipeline-fragment.ts';
import { emptyDocument, nodePosition, type PipelineDocument } from '../document/pipeline-types.ts';
import type { EngineClient } from '../engine/engine-client.ts';
import { restoreAutosave, saveAutosave } from '../files/autosave.ts';
import { downloadText } from '../files/download.ts';
import { fetchExample, importExport, listExamples, uploadFile, type ExampleInfo } from '../files/engine-http.ts';
import { rememberPreview } from '../files/local-previews.ts';
import { estimatedNodeSize, freeSpot } from '../layout/free-spot.ts';
import { ModelManager } from '../models/model-manager.ts';
import { QueueStore } from '../queue/queue-store.ts';
import { looksLikePipelineFile, parsePipelineText, pipelineFileName, pipelineText, readPipeline } from '../files/pipeline-file.ts';
import { checkConnection, type WireRequest } from '../graph/connection-check.ts';
import { upstreamOf } from '../graph/graph-walk.ts';
import { autoLayout } from '../layout/auto-layout.ts';
import type { Size } from '../layout/elk-graph.ts';
import type { PendingWire } from '../palette/palette-search.ts';
import { contentHashes } from '../run/content-hash.ts';
import { RunStore } from '../run/run-store.ts';
import { removeAnnotations, setAnnotationBoxes } from '../annotations/annotation-operations.ts';
import { withReadableAnnotations } from '../annotations/read-annotations.ts';
import { expandUse } from '../reusable/expand-use.ts';
import { insertLibraryGraph, libraryPayload } from '../reusable/library-graphs.ts';
import { recordExpandedModels } from '../reusable/record-expanded-models.ts';
import { openDefinitions, runPathOf, type EditingStep, type OpenDefinition } from '../reusable/editing-trail.ts';
import { makeReusable, type MakeReusableOptions } from '../reusable/make-reusable.ts';
import { withUseEntries } from '../reusable/use-node-spec.ts';
import { useOutputPaths } from '../reusable/use-run-view.ts';
import { NoticeStore } from './notice-store.ts';
import { SelectionStore } from './selection-store.ts';

/** `tidy`: a pipeline just opened; lay it out if its nodes overlap at their real sizes. */
export type ViewRequest = { type: 'fit'; tidy?: boolean } | { type: 'select'; ids: readonly string[] } | { type: 'focus'; nodeId: string };

const AUTOSAVE_DELAY_MS = 400;
const VALIDATE_DELAY_MS = 500;
const FIRST_EXAMPLE = 'first-shot';
const PASTE_OFFSET = { x: 40, y: 40 };

export class EditorController {
  readonly document: DocumentStore;
  readonly runs = new RunStore();
  readonly notices = new NoticeStore();
  readonly selection = new SelectionStore();
  #issues: readonly PipelineIssue[] = [];
  #examples: readonly ExampleInfo[] = [];
  /** Counts documents opened (New, Open, examples, drops, the autosave): a late auto-layout checks it. */
  #openCount = 0;
  #catalog: Catalog = new Map();
  #catalogSource: Welcome | undefined;
  /** The engine's catalog plus an entry per definition of the document (use nodes are drawn from those). */
  #fullCatalog: Catalog = new Map();
  #fullCatalogSource: { catalog: Catalog; definitions: PipelineDocument['definitions'] } | undefined;
  #autosaveTimer: ReturnType<typeof setTimeout> | undefined;
  #validateTimer: ReturnType<typeof setTimeout> | undefined;
  #validation = 0;
  #autosaveWarned = false;
  /** The document as restored from the autosave: saving it unchanged would make it the latest save for new tabs. */
  #restored: PipelineDocument | undefined;
  #loaded = false;
  /** Opening or closing a definition notifies too; only a changed document is saved and validated again. */
  #lastDocument: PipelineDocument | undefined;
  readonly #issueListeners = new Set<() => void>();
  readonly #exampleListeners = new Set<() => void>();
  readonly #viewListeners = new Set<(request: ViewRequest) => void>();
  /** Where each open definition was entered from, innermost last. */
  #editingFrom: EditingStep[] = [];

  /** The Models panel's requests to the engine and its answers. */
  readonly models: ModelManager;
  /** Every run the engine knows, for the queue panel. */
  readonly queue: QueueStore;

  constructor(readonly client: EngineClient) {
    this.document = new DocumentStore(emptyDocument());
    this.models = new ModelManager(client);
    this.queue = new QueueStore(client);
  }

  /** Connects and loads the first pipeline; returns the teardown. */
  start(): () => void {
    const stops = [
      this.document.subscribe(() => this.#documentChanged()),
      this.client.subscribe(() => this.#connectionChanged()),
      this.client.onMessage((message) => this.#receive(message)),
    ];
    this.client.start();
    // React's strict mode starts twice; the first pipeline loads once.
    if (!this.#loaded) {
      this.#loaded = true;
      void this.#loadFirstPipeline();
    }
    return () => {
      for (const stop of stops) stop();
      this.client.stop();
    };
  }

  // Stores the views read ----------------------------------------------------

  getCatalog = (): Catalog => {
    const welcome = this.client.getSnapshot().welcome;
    if (welcome !== this.#catalogSource) {
      this.#catalogSource = welcome;
      this.#catalog = indexCatalog(welcome?.catalog ?? []);
    }
    const { definitions } = this.document.getFullSnapshot();
    const source = this.#fullCatalogSource;
    if (!source || source.catalog !== this.#catalog || source.definitions !== definitions) {
      this.#fullCatalogSource = { catalog: this.#catalog, definitions };
      this.#fullCatalog = withUseEntries(this.#catalog, definitions);
    }
    return this.#fullCatalog;
  };

  /** The catalog changes with the engine's welcome and with the document's definitions. */
  subscribeCatalog = (listener: () => void): (() => void) => {
    const stops = [this.client.subscribe(listener), this.document.subscribe(listener)];
    return () => stops.forEach((stop) => stop());
  };

  /** Fingerprints of the nodes that run: the expanded pipeline's (`use/inner` ids), as the engine reports them. */
  #hashes(doc: PipelineDocument): Map<string, string> {
    const expanded = expandReusableGraphs(doc);
    return contentHashes(expanded.ok ? expanded.document : doc, this.getCatalog());
  }

  getIssues = (): readonly PipelineIssue[] => this.#issues;
  subscribeIssues = (listener: () => void): (() => void) => subscribeTo(this.#issueListeners, listener);
  getExamples = (): readonly ExampleInfo[] => this.#examples;
  subscribeExamples = (listener: () => void): (() => void) => subscribeTo(this.#exampleListeners, listener);

  onView(listener: (request: ViewRequest) => void): () => void {
    return subscribeTo(this.#viewListeners, listener);
  }

  // Editing ------------------------------------------------------------------

  setParam(nodeId: string, name: string, value: unknown): void {
    this.document.apply((doc) => setParam(doc, nodeId, name, value), { label: `Edit ${name}`, mergeKey: `param:${nodeId}:${name}` });
  }

  renameNode(nodeId: string, title: string): void {
    this.document.apply((doc) => setNodeTitle(doc, nodeId, title), { label: 'Rename node', mergeKey: `title:${nodeId}` });
  }

  renamePipeline(name: string): void {
    this.document.apply((doc) => void (doc.name = name), { label: 'Rename pipeline', mergeKey: 'pipeline:name' });
  }

  /** Adds a node; with a pending wire, connects it to the wire's port. Returns the new id. */
  /** The canvas's measured node sizes; nodes it has not drawn yet are estimated from their catalog entry. */
  measuredSizes: () => ReadonlyMap<string, Size> = () => new Map();

  /** Adds a node at `position`, or at the nearest free spot when another node is there. */
  addNode(type: string, position: XY, wire?: PendingWire & { targetPort?: string }, options: { amend?: boolean } = {}): string | undefined {
    const catalog = this.getCatalog();
    const entry = catalog.get(type);
    if (!entry) return undefined;
    const measured = this.measuredSizes();
    const boxes = this.document.getSnapshot().nodes.map((node) => {
      const known = measured.get(node.id);
      const kind = catalog.get(node.type);
      return { ...nodePosition(node), ...(known ?? (kind ? estimatedNodeSize(kind) : { width: 252, height: 200 })) };
    });
    const spot = freeSpot(position, estimatedNodeSize(entry), boxes);
    let id: string | undefined;
    this.document.apply(
      (doc) => {
        id = addNode(doc, entry, spot);
        // A use sets no params: the definition's values hold, and follow edits of it.
        if (isGraphUse(entry.type)) doc.nodes.find((node) => node.id === id)!.params = {};
        if (!wire?.targetPort) return;
        const request: WireRequest =
          wire.from === 'output'
            ? { source: wire.nodeId, sourceHandle: wire.port, target: id, targetHandle: wire.targetPort }
            : { source: id, sourceHandle: wire.targetPort, target: wire.nodeId, targetHandle: wire.port };
        connectNodes(doc, catalog, request);
      },
      { label: `Add ${entry.title}`, amend: options.amend === true },
    );
    if (id !== undefined) this.#view({ type: 'select', ids: [id] });
    return id;
  }

  /** Draws a wire, or says why it cannot be drawn. */
  connect(wire: WireRequest): boolean {
    const verdict = checkConnection(this.document.getSnapshot(), this.getCatalog(), wire);
    if (!verdict.ok) {
      this.notices.notify(`Not connected: ${verdict.reason}`, 'error');
      return false;
    }
    this.document.apply((doc) => void connectNodes(doc, this.getCatalog(), wire), { label: 'Connect' });
    return true;
  }

  /** Why this wire cannot be drawn, or undefined when it can. */
  connectionProblem(wire: WireRequest): string | undefined {
    const verdict = checkConnection(this.document.getSnapshot(), this.getCatalog(), wire);
    return verdict.ok ? undefined : verdict.reason;
  }

  /** Deletes nodes, wires and notes or groups (by canvas id; a deleted group leaves its nodes), as one step. */
  remove(nodeIds: readonly string[], edgeIds: readonly string[], annotationIds: readonly string[] = []): void {
    if (nodeIds.length === 0 && edgeIds.length === 0 && annotationIds.length === 0) return;
    this.document.apply(
      (doc) => {
        removeEdges(doc, edgeIds);
        removeNodes(doc, nodeIds);
        removeAnnotations(doc, annotationIds);
      },
      { label: nodeIds.length > 0 ? 'Delete nodes' : edgeIds.length > 0 ? 'Delete wires' : 'Delete' },
    );
  }

  /** Moves nodes, and notes and groups by canvas id (a group's drag carries its nodes: one step). */
  moveNodes(positions: ReadonlyMap<string, XY>): void {
    this.document.apply(
      (doc) => {
        moveNodes(doc, positions);
        setAnnotationBoxes(doc, positions);
      },
      { label: 'Move nodes' },
    );
  }

  copyText(ids: readonly string[]): string | undefined {
    if (ids.length === 0) return undefined;
    return pipelineText(copyFragment(this.document.getSnapshot(), ids));
  }

  /**
   * Pastes pipeline JSON (from this tab, another tab, or a text editor); returns false when it is not a pipeline.
   * `keepIncoming` (Ctrl+Shift+V) also keeps the wires that fed the copied nodes from nodes still here; a plain paste says it could.
   */
  paste(text: string, at?: XY, keepIncoming = false): boolean {
    const parsed = parsePipelineText(text);
    if (!parsed.ok || parsed.doc.nodes.length === 0) return false;
    const offered = keepableIncoming(this.document.getSnapshot(), parsed.doc).length;
    let ids: string[] = [];
    this.document.apply((doc) => void (ids = pasteFragment(doc, parsed.doc, { ...(at ? { at } : { offset: PASTE_OFFSET }), keepIncoming })), {
      label: keepIncoming ? 'Paste with inputs' : 'Paste',
    });
    this.#view({ type: 'select', ids });
    if (!keepIncoming && offered > 0) {
      this.notices.notify(`Pasted without the ${offered === 1 ? 'wire' : `${offered} wires`} coming in from other nodes; undo and press Ctrl+Shift+V to keep ${offered === 1 ? 'it' : 'them'}.`);
    }
    return true;
  }

  duplicate(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const fragment = copyFragment(this.document.getSnapshot(), ids);
    let pasted: string[] = [];
    this.document.apply((doc) => void (pasted = pasteFragment(doc, fragment, { offset: PASTE_OFFSET })), { label: 'Duplicate' });
    this.#view({ type: 'select', ids: pasted });
  }

  /** Replaces the canvas selection. */
  select(nodeIds: readonly string[]): void {
    this.#view({ type: 'select', ids: nodeIds });
  }

  /** Selects the node and brings it into view (from the problem list). */
  focusNode(nodeId: string): void {
    // A problem inside a reusable graph names `use/inner`: the use is what the pipeline shows.
    if (this.document.getEditing() !== undefined && outermostUse(nodeId) !== undefined) this.doneEditing();
    this.#view({ type: 'focus', nodeId: outermostUse(nodeId) ?? nodeId });
  }

  // Reusable graphs ------------------------------------------------------------

  /** Moves the nodes into a new definition, with one use in their place (one undo step); returns the use's id. */
  makeReusable(ids: readonly string[], options: MakeReusableOptions): string | undefined {
    let useId: string | undefined;
    this.document.apply((doc) => void (useId = makeReusable(doc, ids, options)?.useId), { label: 'Make reusable' });
    if (useId !== undefined) this.#view({ type: 'select', ids: [useId] });
    return useId;
  }

  /** Replaces a use by its definition's nodes (one undo step). */
  expandUse(useId: string): void {
    let ids: string[] | undefined;
    this.document.apply((doc) => void (ids = expandUse(doc, useId)), { label: 'Expand into nodes' });
    if (ids) this.#view({ type: 'select', ids });
  }

  /** Sends the definition a use stands for (and those it uses) to the engine's library; `library.saved` confirms. */
  saveToLibrary(useId: string): void {
    const use = this.document.getSnapshot().nodes.find((node) => node.id === useId);
    if (!use || !isGraphUse(use.type)) return;
    const payload = libraryPayload(this.document.getFullSnapshot(), definitionIdOf(use.type));
    if (!payload) return;
    if (!this.client.send({ type: 'library.save', ...payload })) this.notices.notify('The engine is not connected: the graph was not saved to the library.', 'error');
  }

  /** Removes a graph from the engine's library (pipelines that use it keep their own copy); the engine's `library` list confirms. */
  removeFromLibrary(id: string): void {
    if (!this.client.send({ type: 'library.remove', id })) this.notices.notify('The engine is not connected: the graph is still in the library.', 'error');
  }

  /** Copies a library graph's definitions into the document and adds a use of it at `position` (one undo step). */
  async insertFromLibrary(id: string, position: XY): Promise<string | undefined> {
    if (this.document.getEditing() !== undefined) {
      this.notices.notify('Library graphs go into the pipeline: press Done to leave the definition first.', 'error');
      return undefined;
    }
    let entry: LibraryEntry;
    try {
      entry = await this.client.libraryEntry(id);
    } catch (error) {
      this.notices.notify(`The library graph could not be inserted: ${(error as Error).message}`, 'error');
      return undefined;
    }
    let placed: { definitionId: string; added: string[] } | undefined;
    const changed = this.document.apply((doc) => void (placed = insertLibraryGraph(doc, entry)), { label: `Insert ${entry.definition.name}` });
    if (!placed) return undefined;
    // The definitions and the use are one step; when the document held them already, the use is a step of its own.
    return this.addNode(`${GRAPH_TYPE_PREFIX}${placed.definitionId}`, position, undefined, { amend: changed });
  }

  /** Opens the definition a use stands for on the canvas. */
  editDefinitionOf(useId: string): void {
    const use = this.document.getSnapshot().nodes.find((node) => node.id === useId);
    if (!use || !isGraphUse(use.type)) return;
    this.#editingFrom.push({ from: this.document.getEditing(), useId });
    this.document.setEditing(definitionIdOf(use.type));
    // The definition's nodes may share ids with the pipeline's: nothing starts selected.
    this.#view({ type: 'select', ids: [] });
    this.#view({ type: 'fit' });
  }

  /** Back to what was open before (the pipeline, or the outer definition), with the use selected. */
  doneEditing(): void {
    const back = this.#editingFrom.pop();
    this.document.setEditing(back?.from);
    if (this.document.getEditing() === undefined) this.#editingFrom = [];
    this.#view({ type: 'fit' });
    if (back) this.#view({ type: 'select', ids: [back.useId] });
  }

  /**
   * The run-store id a canvas node's run state is under: while a definition
   * is open, the inner node of the use it was opened from (the engine reports
   * expanded nodes by path), else of its first use in the pipeline.
   */
  runIdOf(nodeId: string): string {
    const editing = this.document.getEditing();
    if (editing === undefined) return nodeId;
    const doc = this.document.getFullSnapshot();
    const opened = runPathOf(doc, this.openDefinitions(), nodeId);
    if (opened !== undefined) return opened;
    const use = doc.nodes.find((node) => isGraphUse(node.type) && definitionIdOf(node.type) === editing);
    return use ? `${use.id}${PATH_SEPARATOR}${nodeId}` : `${PATH_SEPARATOR}${nodeId}`;
  }

  /** The definitions open on the canvas, outermost first, each with the use it was opened from. */
  openDefinitions(): OpenDefinition[] {
    return openDefinitions(this.#editingFrom, this.document.getEditing());
  }

  /**
   * Lays the graph out with ELK. `afterOpen` folds the move into the step that
   * opened the document, so undo never brings back the overlapping original.
   */
  async layout(sizes: ReadonlyMap<string, Size>, options: { afterOpen?: boolean } = {}): Promise<void> {
    const doc = this.document.getSnapshot();
    if (doc.nodes.length === 0) return;
    const opened = this.#openCount;
    try {
      const positions = await autoLayout(doc, this.getCatalog(), sizes);
      // Another document was opened meanwhile: these positions belong to the old one.
      if (this.#openCount !== opened) return;
      this.document.apply((draft) => moveNodes(draft, positions), { label: 'Auto-layout', amend: options.afterOpen === true });
      this.#view({ type: 'fit' });
    } catch (error) {
      this.notices.notify((error as Error).message, 'error');
    }
  }

  /** Uploads a picked or dropped file into a file param. */
  async uploadToParam(nodeId: string, name: string, file: File): Promise<void> {
    try {
      const asset = await uploadFile(file);
      rememberPreview(asset.ref, file);
      this.document.apply(
        (doc) => {
          setParam(doc, nodeId, name, asset.ref);
          doc.assets[asset.ref] = { name: asset.name, mime: asset.mime };
        },
        { label: `Choose ${name}` },
      );
    } catch (error) {
      this.notices.notify((error as Error).message, 'error');
    }
  }

  // Running ------------------------------------------------------------------

  run(targets?: readonly string[]): void {
    if (this.client.getSnapshot().status !== 'open') {
      this.notices.notify('The engine is not connected; the run starts once it is back.', 'error');
      return;
    }
    const doc = this.document.getFullSnapshot();
    if (doc.nodes.length === 0) {
      this.notices.notify('Add a node first: double-click the canvas.');
      return;
    }
    const runId = `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    this.runs.beginRun(runId, this.#hashes(doc));
    this.client.follow(runId);
    this.client.send({ type: 'run', runId, pipeline: doc, ...(targets ? { targets: [...targets] } : {}) });
  }

  /** Runs the node and what feeds it, nothing downstream. */
  runToHere(nodeId: string): void {
    if (this.document.getEditing() !== undefined) {
      this.notices.notify('Run to here works on the pipeline: press Done first.');
      return;
    }
    const doc = this.document.getFullSnapshot();
    if (!upstreamOf(doc, nodeId).has(nodeId)) return;
    // The engine runs expanded nodes: a use runs up to the inner nodes behind its outputs.
    const uses = useOutputPaths(doc);
    const ends = uses.get(nodeId);
    const targets = ends ? [...new Set(Object.values(ends).map((end) => end.node))] : [nodeId];
    if (targets.length === 0) {
      this.notices.notify('This reusable graph exposes no output to run up to.');
      return;
    }
    this.run(targets);
  }

  cancel(): void {
    const { runId } = this.runs.getSummary();
    if (runId !== undefined && this.runs.isActive()) this.client.send({ type: 'cancel', runId });
  }

  // Files --------------------------------------------------------------------

  newDocument(): void {
    this.#open(emptyDocument(), 'New pipeline');
  }

  /** Downloads the document as a file that records the weights of each model it uses (see model-records.ts). */
  save(): void {
    const doc = this.document.getFullSnapshot();
    const catalog = this.getCatalog();
    const digests = new Map((this.client.getSnapshot().welcome?.models ?? []).map((model) => [model.id, model.sha256]));
    const recorded = recordExpandedModels(doc, (type) => catalog.get(type)?.params, (id) => digests.get(id));
    const name = pipelineFileName(doc.name);
    downloadText(pipelineText(recorded), name);
    this.notices.notify(`Saved as ${name} (in your downloads).`);
  }

  async openExample(name: string): Promise<void> {
    try {
      const parsed = readPipeline(await fetchExample(name));
      if (!parsed.ok) throw new Error(parsed.error);
      this.#open(parsed.doc, 'Open example');
    } catch (error) {
      this.notices.notify((error as Error).message, 'error');
    }
  }

  /** Opens the pipeline a run (from the queue panel, any client's) was made from. */
  async openRun(runId: string): Promise<void> {
    try {
      const parsed = readPipeline(await this.queue.pipelineOf(runId));
      if (!parsed.ok) throw new Error(parsed.error);
      this.#open(parsed.doc, 'Open run');
    } catch (error) {
      this.notices.notify((error as Error).message, 'error');
    }
  }

  /**
   * Opens a pipeline file, or a video/GIF/PNG that Reelgraph exported (its
   * pipeline is embedded). Another picture or video becomes a node that loads
   * it, placed at `at`.
   */
  async openFile(file: File, at?: XY): Promise<void> {
    try {
      if (looksLikePipelineFile(file)) {
        const parsed = parsePipelineText(await file.text());
        if (!parsed.ok) throw new Error(`${file.name}: ${parsed.error}`);
        this.#open(parsed.doc, 'Open pipeline');
        return;
      }
      const embedded = await importExport(file).catch((error: Error) => error);
      if (!(embedded instanceof Error)) {
        const parsed = readPipeline(embedded);
        if (!parsed.ok) throw new Error(`${file.name}: ${parsed.error}`);
        this.#open(parsed.doc, 'Open pipeline from export');
        this.notices.notify(`Opened the pipeline embedded in ${file.name}.`);
        return;
      }
      if (!(await this.#addMediaNode(file, at ?? { x: 0, y: 0 }))) throw embedded;
    } catch (error) {
      this.notices.notify((error as Error).message, 'error');
    }
  }

  async #addMediaNode(file: File, at: XY): Promise<boolean> {
    const kind = file.type.startsWith('image/') ? 'image' : file.type.startsWith('video/') ? 'video' : undefined;
    if (!kind) return false;
    const found = mediaNodeKind(this.getCatalog(), kind);
    if (!found) return false;
    const id = this.addNode(found.entry.type, at);
    if (id !== undefined) await this.uploadToParam(id, found.param, file);
    return id !== undefined;
  }

  #open(opened: PipelineDocument, label: string): void {
    this.#openCount += 1;
    this.#editingFrom = [];
    this.runs.reset();
    const { doc, notice } = withReadableAnnotations(opened);
    if (notice) this.notices.notify(notice, 'error');
    this.document.replace(doc, { label });
    this.#setIssues([]);
    this.#validateNow();
    this.#view({ type: 'fit', tidy: true });
  }

  async #loadFirstPipeline(): Promise<void> {
    // The local copy shows at once; the engine may be busy running and slow to list examples.
    const restored = restoreAutosave();
    const saved = restored && withReadableAnnotations(restored).doc;
    if (saved) {
      this.#openCount += 1;
      this.document.replace(saved, { resetHistory: true });
      this.#restored = this.document.getFullSnapshot();
      this.#view({ type: 'fit', tidy: true });
    }
    const examples = await listExamples().catch(() => [] as ExampleInfo[]);
    this.#examples = examples;
    for (const listener of this.#exampleListeners) listener();
    if (saved) return;
    const first = examples.find((example) => example.name === FIRST_EXAMPLE) ?? examples[0];
    if (!first) return;
    try {
      const parsed = readPipeline(await fetchExample(first.name));
      if (!parsed.ok) throw new Error(parsed.error);
      this.document.replace(withReadableAnnotations(parsed.doc).doc, { resetHistory: true });
      this.#view({ type: 'fit', tidy: true });
    } catch (error) {
      this.notices.notify((error as Error).message, 'error');
    }
  }

  // Reactions ----------------------------------------------------------------

  #documentChanged(): void {
    const doc = this.document.getFullSnapshot();
    if (this.document.getEditing() === undefined) this.#editingFrom = [];
    if (doc === this.#lastDocument) return;
    this.#lastDocument = doc;
    this.runs.setUses(useOutputPaths(doc));
    this.runs.setCurrentHashes(this.#hashes(doc));
    clearTimeout(this.#autosaveTimer);
    this.#autosaveTimer = setTimeout(() => {
      const current = this.document.getFullSnapshot();
      if (current === this.#restored) return;
      this.#restored = undefined;
      if (!saveAutosave(current) && !this.#autosaveWarned) {
        this.#autosaveWarned = true;
        this.notices.notify('The browser refused to keep a local copy (storage full?). Save the pipeline to a file.', 'error');
      }
    }, AUTOSAVE_DELAY_MS);
    clearTimeout(this.#validateTimer);
    this.#validateTimer = setTimeout(() => this.#validateNow(), VALIDATE_DELAY_MS);
  }

  #connectionChanged(): void {
    const before = this.#catalogSource;
    this.getCatalog();
    if (this.#catalogSource !== before) {
      this.runs.setCurrentHashes(this.#hashes(this.document.getFullSnapshot()));
      this.#validateNow();
    }
  }

  /** Asks the engine for the document's problems and for the results its cache already holds (shown without a run). */
  #validateNow(): void {
    if (this.client.getSnapshot().status !== 'open') return;
    this.#validation += 1;
    const validation = this.#validation;
    const doc = this.document.getFullSnapshot();
    this.client.validate(doc).then(
      (issues) => {
        if (validation === this.#validation) this.#setIssues(issues);
      },
      () => undefined,
    );
    const hashes = this.#hashes(doc);
    this.client.results(doc).then(
      (nodes) => {
        if (validation === this.#validation) this.runs.showCached(nodes, hashes);
      },
      () => undefined,
    );
  }

  #receive(message: ServerMessage): void {
    if (message.type === 'run.state' && message.runId !== this.runs.getSummary().runId) this.runs.adoptRun(message.runId);
    this.runs.handle(message);
    const ours = 'runId' in message && message.runId !== undefined && message.runId === this.runs.getSummary().runId;
    switch (message.type) {
      case 'run.rejected':
        if (!ours) return;
        this.#setIssues(message.errors);
        this.notices.notify(
          `The engine did not run the pipeline: ${message.errors.length} problem${message.errors.length === 1 ? '' : 's'} (marked on the nodes).`,
          'error',
        );
        return;
      case 'library.saved':
        this.notices.notify(`Saved “${message.name}” to the library.`);
        return;
      case 'run.finished':
        if (!ours) return;
        if (message.status === 'failed') this.notices.notify('The run failed; the nodes in red say why.', 'error');
        if (message.status === 'cancelled') this.notices.notify('Run cancelled.');
        return;
      case 'error':
        if (message.code === 'unknown-run') {
          if (ours) this.runs.abandonRun();
          return;
        }
        // The Models panel, which asked, shows model problems itself.
        if (message.code === 'model') return;
        this.notices.notify(message.message, 'error');
        return;
      default:
        return;
    }
  }

  #setIssues(issues: readonly PipelineIssue[]): void {
    if (JSON.stringify(issues) === JSON.stringify(this.#issues)) return;
    this.#issues = issues;
    for (const listener of this.#issueListeners) listener();
  }

  #view(request: ViewRequest): void {
    for (const listener of this.#viewListeners) listener(request);
  }
}

/** The first node kind that loads a file of this kind from nothing (no inputs), and its file param. */
export function mediaNodeKind(catalog: Catalog, kind: 'image' | 'video'): { entry: CatalogEntry; param: string } | undefined {
  for (const entry of catalog.values()) {
    if (Object.keys(entry.inputs).length > 0) continue;
    for (const [name, raw] of Object.entries(entry.params)) {
      const spec = readParamSpec(raw);
      if (spec.kind === 'file' && spec.accept.includes(kind)) return { entry, param: name };
    }
  }
  return undefined;
}

function subscribeTo<T>(listeners: Set<T>, listener: T): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
