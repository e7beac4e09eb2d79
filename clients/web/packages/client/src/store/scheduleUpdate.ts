/** Runs `flush` later, once: when the store applies what its streams delivered since the last flush. */
export type ScheduleUpdate = (flush: () => void) => void;

/**
 * In a browser: at the next animation frame, so a page renders at most once a frame however fast its streams are
 * (one render per message starved the page at 150 events/s: docs/benchmarks.md, "Console render cost"); a hidden
 * tab has no frames, so a timer flushes there (the browser runs it about once a second). Elsewhere: at once.
 */
export const scheduleUpdatePerFrame: ScheduleUpdate = typeof requestAnimationFrame === 'function'
  ? flush => {
    let done = false;
    const run = () => {
      if (!done) {
        done = true;
        cancelAnimationFrame(frame);
        clearTimeout(timer);
        flush();
      }
    };
    const frame = requestAnimationFrame(run);
    const timer = setTimeout(run, 250);
  }
  : flush => flush();
