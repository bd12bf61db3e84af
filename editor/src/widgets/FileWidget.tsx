import { useCallback, useRef, useState, useSyncExternalStore, type DragEvent } from 'react';
import { useEditor } from '../app/editor-context.ts';
import type { FileSpec } from '../catalog/catalog-types.ts';
import { localPreview } from '../files/local-previews.ts';
import { Icon } from '../panels/Icon.tsx';
import { ParamRow } from './ParamRow.tsx';
import type { WidgetProps } from './widget-props.ts';

const ACCEPT = { image: 'image/*', video: 'video/*' } as const;

/** Picks an image or video: a button, or a file dropped on it. The file is uploaded and the param names its asset. */
export function FileWidget({ nodeId, nodeTitle, name, spec, value, label }: WidgetProps<FileSpec>) {
  const controller = useEditor();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const ref = typeof value === 'string' ? value : '';
  const fileName = useAssetName(ref);
  const preview = ref ? localPreview(ref) : undefined;

  const take = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    await controller.uploadToParam(nodeId, name, file);
    setBusy(false);
  };
  const onDrop = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    // The canvas would otherwise open the file as a pipeline.
    event.preventDefault();
    event.stopPropagation();
    setOver(false);
    void take(event.dataTransfer.files[0]);
  };

  return (
    <ParamRow name={name} description={spec.description} stacked>
      <div
        className={`nodrag rg-file${over ? ' rg-file-over' : ''}`}
        onDragOver={(event) => {
          if (!event.dataTransfer.types.includes('Files')) return;
          event.preventDefault();
          event.stopPropagation();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        {preview && spec.accept.includes('image') ? <img className="rg-file-thumb" src={preview} alt="" /> : <Icon name="upload" />}
        <span className="rg-file-name" title={ref}>
          {busy ? 'Uploading…' : fileName || `Drop ${spec.accept.join(' or ')} here`}
        </span>
        <button type="button" className="rg-button rg-button-small" aria-label={`${nodeTitle}: choose ${name}`} onClick={() => input.current?.click()}>
          Choose…
        </button>
        <input
          ref={input}
          type="file"
          hidden
          aria-label={`${label} file`}
          accept={spec.accept.map((kind) => ACCEPT[kind]).join(',')}
          onChange={(event) => {
            void take(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
      </div>
    </ParamRow>
  );
}

/** The asset's file name, or the path as written; re-renders only when that name changes. */
function useAssetName(ref: string): string {
  const { document } = useEditor();
  const read = useCallback(() => {
    if (!ref.startsWith('sha256:')) return ref;
    return document.getSnapshot().assets[ref]?.name ?? `${ref.slice(0, 15)}…`;
  }, [document, ref]);
  return useSyncExternalStore(document.subscribe, read);
}
