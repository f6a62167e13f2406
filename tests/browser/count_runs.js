// Counts finished script runs (window.__voiceRuns) for the browser tests and the benchmark, from what
// the server says: each ForwardMsg whose script_finished field (6) is set, except a run cut short for
// a rerun (2). Not from the page's script-state attribute: under load the browser can take a whole
// run's messages in one task, and React then never draws the state as running, so a count of
// running -> notRunning changes misses that run and a wait for it hangs. The count goes up two frames
// after the message, once the frontend has had the chance to draw what came before it.
window.__voiceRuns = 0;
(() => {
  const Native = window.WebSocket;
  const finished = bytes => {
    let i = 0;
    const varint = () => { let v = 0, m = 1, b; do { b = bytes[i++]; v += (b & 127) * m; m *= 128; } while (b & 128 && i < bytes.length); return v; };
    while (i < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const v = varint(); if (field === 6) return v !== 2; }
      else if (wire === 2) { const n = varint(); i += n; }   // not i += varint(): i would be read first
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return false;
    }
    return false;
  };
  const seen = data => {
    if (finished(new Uint8Array(data))) {
      setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => { window.__voiceRuns += 1; })), 0);
    }
  };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        if (e.data instanceof ArrayBuffer) seen(e.data);
        else if (e.data instanceof Blob) e.data.arrayBuffer().then(seen);
      });
    }
  };
})();
