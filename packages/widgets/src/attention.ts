const BLINK_MS = 1000;

/** Title blinking and the new-message sound, for a visitor looking elsewhere. */
export interface Attention {
  /** Starts (or updates) blinking `text` in the page title. */
  blink(text: string): void;
  /** Stops blinking and restores the page's own title. */
  stop(): void;
  beep(): void;
}

/** Creates the attention helpers; `stop()` is also the cleanup. */
export function createAttention(): Attention {
  let timer: ReturnType<typeof setInterval> | undefined;
  let pageTitle = '';
  let ours = '';

  const stop = () => {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
    if (document.title === ours) document.title = pageTitle;
  };

  return {
    blink(text) {
      if (timer === undefined) pageTitle = document.title;
      else clearInterval(timer);
      ours = text;
      document.title = text;
      timer = setInterval(() => {
        // A single-page app may have retitled the page meanwhile: that becomes the title to restore.
        if (document.title !== ours && document.title !== pageTitle) pageTitle = document.title;
        document.title = document.title === ours ? pageTitle : ours;
      }, BLINK_MS);
    },
    stop,
    beep() {
      // A short tone made on the spot: no audio file to fetch. Browsers keep an
      // AudioContext silent until the visitor has interacted with the page.
      try {
        const context = new AudioContext();
        const tone = context.createOscillator();
        const volume = context.createGain();
        tone.frequency.value = 880;
        volume.gain.value = 0.06;
        tone.connect(volume).connect(context.destination);
        tone.onended = () => void context.close();
        tone.start();
        tone.stop(context.currentTime + 0.15);
      } catch {
        // No Web Audio here: the badge and the title still tell the visitor.
      }
    },
  };
}
