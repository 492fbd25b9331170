// http(s) URLs only: other schemes (javascript:, data:) stay plain text.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
// Sentence punctuation right after a URL belongs to the sentence.
const TRAILING = /[.,;:!?)\]]+$/;

/**
 * Message text as text nodes, with web addresses as links. Never parsed as HTML:
 * `<b>` or `<img onerror>` typed by anyone shows up as those characters.
 */
export function MessageText({ text }: { text: string }) {
  const parts: (string | preact.JSX.Element)[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING, '');
    const start = match.index;
    parts.push(text.slice(last, start));
    parts.push(
      <a href={url} target="_blank" rel="noopener noreferrer">
        {url}
      </a>,
    );
    last = start + url.length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}
