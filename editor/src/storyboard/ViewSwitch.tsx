/** The toolbar's "Graph | Storyboard" switch: two views of the same document. */
export type EditorView = 'graph' | 'storyboard';

export function ViewSwitch({ view, onView }: { view: EditorView; onView: (view: EditorView) => void }) {
  return (
    <div className="rg-tool-group rg-view-switch" role="group" aria-label="view">
      {(['graph', 'storyboard'] as const).map((option) => (
        <button
          key={option}
          type="button"
          className={view === option ? 'rg-tool rg-view-on' : 'rg-tool'}
          aria-pressed={view === option}
          title={option === 'graph' ? 'The pipeline as a graph' : 'The film as a storyboard of its shots'}
          onClick={() => onView(option)}
        >
          {option === 'graph' ? 'Graph' : 'Storyboard'}
        </button>
      ))}
    </div>
  );
}
