// Mail clients quote the whole conversation under an answer. Agents see the
// thread already, so the item shows only what is new; the full body stays in
// the payload. Only the common, unambiguous markers are cut: a wrong guess
// would hide what the customer wrote.
const ATTRIBUTION = /^\s*(On\s.+wrote:|Am\s.+schrieb.*:|Le\s.+a écrit\s?:)\s*$/i;
// Other languages (Gmail in Ukrainian/Russian: "пн, 23 лист. 2026 р. о 15:30 Olena <o@example.com> пише:"):
// a line with a date and an address in angle brackets that ends with a colon.
const LOCALIZED_ATTRIBUTION = /^\s*.*\d.*<[^<>\s]+@[^<>\s]+>.*:\s*$/;
const OUTLOOK_SEPARATOR = /^\s*(-{2,}\s*Original Message\s*-{2,}|_{10,})\s*$/i;
// Gmail wraps a long attribution over two lines: "On Mon, 23 Nov 2026 at 15:30, Olena <…>" / "wrote:".
const ATTRIBUTION_START = /^\s*On\s.+/i;
const ATTRIBUTION_END = /^\s*.*wrote:\s*$/i;

/** The new part of an e-mail answer: the text above "On … wrote:" or a quote block at the end. */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let end = lines.length;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const next = lines[index + 1] ?? '';
    if (ATTRIBUTION.test(line) || LOCALIZED_ATTRIBUTION.test(line) || OUTLOOK_SEPARATOR.test(line) || (ATTRIBUTION_START.test(line) && ATTRIBUTION_END.test(next) && !ATTRIBUTION_START.test(next))) {
      end = index;
      break;
    }
  }
  // Then a trailing block of "> " lines (bottom-quoting without an attribution line).
  while (end > 0 && (/^\s*>/.test(lines[end - 1]!) || lines[end - 1]!.trim() === '')) end--;
  const fresh = lines.slice(0, end).join('\n').trim();
  // A message that is nothing but a quote (a bare forward) keeps its text.
  return fresh === '' ? text.trim() : fresh;
}
