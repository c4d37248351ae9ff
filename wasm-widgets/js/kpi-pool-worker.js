// kpi-pool-worker.js: one worker of the threaded engine's pool. The dataset worker
// (kpi-engine-host.js) starts it and sends `{glue, module, memory}`: the URL of the threaded
// engine's glue (kpi_engine_mt.js), its compiled module and the shared memory of its
// instance. The worker instantiates the module on that memory and runs the pool's jobs
// (parts of a load) until the dataset worker terminates it.
self.addEventListener('message', async (event) => {
  const { glue, module, memory } = event.data ?? {};
  const m = await import(glue);
  m.initSync({ module, memory });
  self.postMessage({ up: true });
  m.runPoolWorker(); // never returns
}, { once: true });
