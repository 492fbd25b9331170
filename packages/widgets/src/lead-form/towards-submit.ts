/**
 * True when the focus leaves a field for the form's submit button. A message shown on
 * that blur pushes the button down between mousedown and mouseup, and the click is lost;
 * the submit checks every field anyway. (Safari does not focus buttons on click, so there
 * the blur check still runs.)
 */
export function towardsSubmit(event: FocusEvent): boolean {
  const next = event.relatedTarget;
  return next instanceof Element && next.matches('[type=submit]');
}
