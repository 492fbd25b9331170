import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { Icon } from './icons';

const FOCUSABLE = 'a[href],button:not(:disabled),input:not(:disabled):not([type=hidden]),select:not(:disabled),textarea:not(:disabled),[tabindex]';

/** The keyboard-reachable controls inside `container`, in tab order of the markup. */
export function focusables(container: Element): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => element.tabIndex >= 0 && !element.closest('[aria-hidden=true]'));
}

/** Focuses the element marked `data-autofocus`, else the first control; false when there is none. */
export function focusInto(container: Element): boolean {
  const target = container.querySelector<HTMLElement>('[data-autofocus]') ?? focusables(container)[0];
  target?.focus();
  return target !== undefined;
}

/** The focused element of the tree `node` lives in (a shadow root's own, not the host). */
export function activeElementOf(node: Node): Element | null {
  return (node.getRootNode() as ShadowRoot | Document).activeElement;
}

/** Props of the panel frame. */
export interface PanelShellProps {
  title: string;
  closeLabel: string;
  onClose(): void;
  /** Called when the panel goes away while it held the focus. */
  returnFocus(): void;
  /** Whether opening may move the focus (not while the visitor types into the page). */
  takeFocus: boolean;
  /** Changes when lazily loaded content arrives, so that the focus can move into it. */
  contentKey?: unknown;
  children: ComponentChildren;
}

/**
 * The open panel: a labelled dialog that takes the focus, keeps Tab inside it and
 * closes on Escape, handing the focus back to the launcher.
 */
export function PanelShell({ title, closeLabel, onClose, returnFocus, takeFocus, contentKey, children }: PanelShellProps) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  // Layout-effect cleanup runs before Preact removes the nodes, while the focus is still
  // inside; the focus moves once they are gone (a full-screen panel hides the launcher).
  useLayoutEffect(() => {
    const dialog = dialogRef.current!;
    return () => {
      if (dialog.contains(activeElementOf(dialog))) queueMicrotask(returnFocus);
    };
  }, []);

  // Escape is heard on the page: from inside the panel (the host has the focus) and from the
  // page's body, where content that swaps under the focus (the chat turning into "leave a
  // message") drops it; never from the page's own fields.
  useEffect(() => {
    const host = (dialogRef.current!.getRootNode() as ShadowRoot).host;
    const onEscape = (event: KeyboardEvent) => {
      const active = document.activeElement;
      if (event.key === 'Escape' && (!active || active === document.body || active === host)) onClose();
    };
    document.addEventListener('keydown', onEscape);
    return () => document.removeEventListener('keydown', onEscape);
  }, [onClose]);

  useEffect(() => {
    const dialog = dialogRef.current!;
    const active = activeElementOf(dialog);
    if (takeFocus && (!active || active === dialog || !dialog.contains(active)) && !focusInto(bodyRef.current!)) dialog.focus();
  }, [contentKey]);

  const onKeyDown = (event: KeyboardEvent) => {
    const dialog = dialogRef.current!;
    if (event.key === 'Tab') {
      const items = focusables(dialog);
      const active = activeElementOf(dialog);
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return event.preventDefault();
      if (event.shiftKey ? active === first || active === dialog : active === last) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      }
    }
  };

  return (
    <div ref={dialogRef} class="tl-panel" part="panel" role="dialog" aria-modal="true" aria-labelledby="tl-title" tabIndex={-1} onKeyDown={onKeyDown}>
      <div class="tl-head" part="header">
        <h2 id="tl-title" part="title">
          {title}
        </h2>
        <button type="button" class="tl-x" part="close-button" aria-label={closeLabel} onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <div ref={bodyRef} class="tl-body" part="body">
        {children}
      </div>
    </div>
  );
}
