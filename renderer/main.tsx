/** Renderer entry: picks the transport (Electron bridge or browser WebSocket) and mounts the app. */
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { RestoraClient } from './api/client.js';
import { defaultTransport } from './api/transport.js';
import { ApiProvider } from './api/context.js';
import './styles.css';

// The session token only needs to reach the server once (it is now a cookie); keep it out of history and screenshots.
if (location.search.includes('token=')) history.replaceState(null, '', location.pathname);

const client = new RestoraClient(defaultTransport());
createRoot(document.getElementById('root')!).render(
  <ApiProvider client={client}>
    <App />
  </ApiProvider>,
);
