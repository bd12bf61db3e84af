import { NumberField } from '../widgets/NumberField.tsx';
import { TRANSITION_KINDS, type JoinSetting, type TransitionKind } from './film-structure.ts';

const NAMES: Record<TransitionKind, string> = { cut: 'cut', crossfade: 'crossfade', 'fade-black': 'fade through black' };

/**
 * The transition between two cards: the film's own (the concat's transition)
 * or one for this join only, with its duration.
 */
export function JoinEditor({ after, join, fallback, onChange }: { after: number; join: JoinSetting | undefined; fallback: JoinSetting; onChange: (join: JoinSetting | null) => void }) {
  const label = `transition after shot ${after}`;
  const shown = join ?? fallback;
  return (
    <div className={join ? 'rg-join rg-join-own' : 'rg-join'} role="group" aria-label={label}>
      <span className={`rg-join-mark rg-join-${shown.transition}`} aria-hidden="true" />
      <select
        aria-label={label}
        className="rg-input rg-join-select"
        value={join ? join.transition : ''}
        onChange={(event) => {
          const value = event.target.value as TransitionKind | '';
          if (value === '') onChange(null);
          else onChange({ transition: value, duration: value === 'cut' ? 0 : shown.duration > 0 ? shown.duration : 0.5 });
        }}
      >
        <option value="">film default</option>
        {TRANSITION_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {NAMES[kind]}
          </option>
        ))}
      </select>
      {!join && <span className="rg-join-caption">{describe(fallback)}</span>}
      {join && join.transition !== 'cut' && (
        <label className="rg-join-duration">
          <NumberField
            value={join.duration}
            label={`${label}: duration`}
            step={0.1}
            min={0}
            max={5}
            className="rg-input rg-number"
            onCommit={(duration) => onChange({ ...join, duration: Math.min(5, Math.max(0, duration)) })}
          />
          <span aria-hidden="true">s</span>
        </label>
      )}
    </div>
  );
}

function describe(join: JoinSetting): string {
  return join.transition === 'cut' ? 'cut' : `${NAMES[join.transition]} ${join.duration} s`;
}
