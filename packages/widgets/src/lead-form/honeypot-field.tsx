import type { Ref } from 'preact';

/**
 * A field people never see and screen readers skip, which form-filling bots fill.
 * The server accepts a lead carrying it (so the bot learns nothing) and drops it
 * (packages/server/src/http/visitor-routes.ts). Hidden by a class, not `display:none`
 * or `type=hidden`, which some bots recognise.
 */
export function HoneypotField({ label, inputRef }: { label: string; inputRef: Ref<HTMLInputElement> }) {
  return (
    <div class="tl-hp" aria-hidden="true">
      <label>
        {label}
        <input ref={inputRef} type="text" name="website" tabIndex={-1} autoComplete="off" />
      </label>
    </div>
  );
}
