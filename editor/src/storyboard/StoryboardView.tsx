import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { useCatalog, useDocument, useEditor } from '../app/editor-context.ts';
import { Icon } from '../panels/Icon.tsx';
import { defaultFilm, filmName, findFilms, joinAt, type Film } from './film-structure.ts';
import { JoinEditor } from './JoinEditor.tsx';
import { ShotCard } from './ShotCard.tsx';
import { StoryboardActions } from './storyboard-actions.ts';
import './storyboard.css';

/**
 * The film as cards in play order, over the same document as the graph: every
 * edit here is a document-store step, so undo and the graph follow, and every
 * graph edit re-derives the cards.
 */
export function StoryboardView({ onShowInGraph }: { onShowInGraph: (nodeId: string) => void }) {
  const controller = useEditor();
  const doc = useDocument();
  const catalog = useCatalog();
  const actions = useMemo(() => new StoryboardActions(controller), [controller]);
  const films = useMemo(() => findFilms(doc), [doc]);
  const [chosen, setChosen] = useState<string | undefined>();
  const film = films.find((candidate) => candidate.concatId === chosen) ?? defaultFilm(films);
  const [newPrompt, setNewPrompt] = useState('');
  const [dragged, setDragged] = useState<number | undefined>();
  const [announcement, setAnnouncement] = useState('');
  // After a keyboard move the moved card keeps the focus, wherever it went.
  const refocus = useRef<string | undefined>(undefined);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (refocus.current === undefined) return;
    list.current?.querySelector<HTMLElement>(`[data-shot="${CSS.escape(refocus.current)}"]`)?.focus();
    refocus.current = undefined;
  });

  if (!film) {
    return (
      <section className="rg-storyboard" aria-label="storyboard">
        <div className="rg-storyboard-empty">
          <p>No film in this pipeline yet.</p>
          <p className="rg-hint">A storyboard shows a Concat node that feeds an Export: each clip wired into the Concat is a shot. Open the Storyboard example to see one.</p>
        </div>
      </section>
    );
  }

  const move = (from: number, to: number, focus: boolean) => {
    const shot = film.shots[from]!;
    actions.moveShot(film.concatId, from, to);
    if (focus) refocus.current = shot.generateId;
    setAnnouncement(`Moved shot ${from + 1} to position ${to + 1}.`);
  };
  const addShot = () => {
    const prompt = newPrompt.trim() === '' ? `shot ${film.shots.length + 1}` : newPrompt.trim();
    if (actions.addShot(film.concatId, prompt) !== undefined) setNewPrompt('');
  };

  return (
    <section className="rg-storyboard" aria-label="storyboard">
      <header className="rg-storyboard-bar">
        {films.length > 1 ? (
          <label className="rg-storyboard-film">
            <span>Film</span>
            <select aria-label="film" className="rg-input" value={film.concatId} onChange={(event) => setChosen(event.target.value)}>
              {films.map((candidate) => (
                <option key={candidate.concatId} value={candidate.concatId}>
                  {filmName(doc, candidate)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="rg-storyboard-name">{filmName(doc, film)}</span>
        )}
        <span className="rg-hint" aria-label="film length">
          {film.shots.length} {film.shots.length === 1 ? 'shot' : 'shots'} · {filmSeconds(film, doc, catalog).toFixed(1)} s
        </span>
        <span className="rg-storyboard-spacer" />
        <input
          className="rg-input rg-storyboard-new"
          aria-label="new shot prompt"
          placeholder="Next shot: describe it…"
          value={newPrompt}
          onChange={(event) => setNewPrompt(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') addShot();
          }}
        />
        <button type="button" className="rg-tool rg-tool-primary" onClick={addShot} disabled={film.shots.length === 0}>
          <Icon name="add" />
          <span>Add shot</span>
        </button>
        <button type="button" className="rg-tool" onClick={() => actions.titleShots(film.concatId)} title="Title each shot’s generator “Shot n — first words of its prompt” (titles you typed stay)">
          Title nodes after shots
        </button>
      </header>
      <ol className="rg-storyboard-shots" aria-label="shots" ref={list}>
        {film.shots.map((shot, index) => (
          <Fragment key={`${shot.slot}:${shot.generateId}`}>
            {index > 0 && (
              <li className="rg-join-slot">
                <JoinEditor after={index} join={film.joins[index - 1]} fallback={film.defaultJoin} onChange={(join) => actions.setJoin(film.concatId, index - 1, join)} />
              </li>
            )}
            <ShotCard
              doc={doc}
              shot={shot}
              index={index}
              count={film.shots.length}
              dragging={dragged === index}
              handlers={{
                onMove: (to) => move(index, to, true),
                onDuplicate: () => actions.duplicateShot(film.concatId, index),
                onDelete: () => actions.deleteShot(film.concatId, index),
                onBranch: () => {
                  const branch = actions.branch(film.concatId, index);
                  if (branch) {
                    setChosen(branch);
                    setAnnouncement(`Branched at shot ${index + 1}: the new ending shares shots 1 to ${index}.`);
                  }
                },
                onShowInGraph,
                onDragStart: () => setDragged(index),
                onDrop: () => {
                  if (dragged !== undefined && dragged !== index) move(dragged, index, false);
                  setDragged(undefined);
                },
              }}
            />
          </Fragment>
        ))}
      </ol>
      <p className="rg-visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </section>
  );
}

/** The film's length: its shots' durations less the crossfades' overlaps (before the concat's clamp to half a short shot). */
function filmSeconds(film: Film, doc: ReturnType<typeof useDocument>, catalog: ReturnType<typeof useCatalog>): number {
  const durations = film.shots.map((shot) => {
    const node = doc.nodes.find((candidate) => candidate.id === shot.generateId);
    const value = node?.params.duration ?? catalog.get(node?.type ?? '')?.params.duration?.default;
    return typeof value === 'number' ? value : 0;
  });
  const overlap = durations.slice(1).reduce((sum, _, index) => {
    const join = joinAt(film, index);
    return sum + (join.transition === 'crossfade' ? join.duration : 0);
  }, 0);
  return Math.max(0, durations.reduce((sum, value) => sum + value, 0) - overlap);
}
