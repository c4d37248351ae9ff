// kpi-worker.js: a same-origin module worker holding the page's datasets. Messages
// `{id, op, args}` are answered with `{id, ok, result}` or `{id, ok: false, error}`, and
// `{id, progress}` while loading. After a trap the worker reports it and closes; the page
// starts a fresh worker on its next request.
import { handle, errorData } from './kpi-engine-host.js';

self.addEventListener('message', async (event) => {
  const { id, op, args } = event.data ?? {};
  try {
    const result = await handle(op, args, (progress) => self.postMessage({ id, progress }));
    self.postMessage({ id, ok: true, result });
  } catch (e) {
    const error = errorData(e);
    self.postMessage({ id, ok: false, error });
    if (error.trap) self.close();
  }
});
self.postMessage({ ready: true });
