import '@xyflow/react/dist/style.css';
import './theme.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { EditorController } from './app/editor-controller.ts';
import { EngineClient } from './engine/engine-client.ts';
import { socketUrl } from './engine/engine-url.ts';

const controller = new EditorController(new EngineClient(socketUrl()));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App controller={controller} />
  </StrictMode>,
);
