import { useEffect, useState } from 'preact/hooks';

/**
 * Whole seconds left until `deadline` (ms), re-rendering once a second until 0.
 * Computed from the clock on each render, so the first render after the deadline is
 * set already shows the full count. `deadline` undefined means no countdown runs.
 */
export function useCountdown(deadline: number | undefined, now: () => number): number {
  const [, setTick] = useState(0);
  const left = deadline === undefined ? 0 : Math.max(0, Math.ceil((deadline - now()) / 1000));
  useEffect(() => {
    if (deadline === undefined) return;
    const timer = setInterval(() => {
      setTick((tick) => tick + 1);
      if (deadline - now() <= 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [deadline, now]);
  return left;
}
