// Escaping for the text-based report formats. Messages come from kubectl,
// k6 and user scenarios, so they can hold anything: markup, ANSI colour codes,
// NULs. Every renderer funnels untrusted text through one of these.

// XML 1.0 forbids most C0 controls even as character references, so they
// cannot be escaped, only replaced. Lone surrogates are equally invalid.
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// ANSI colour sequences are noise in every report; drop them before escaping
// so the ESC byte does not survive as a replacement character.
const ANSI = /\u001B\[[0-9;?]*[ -/]*[@-~]/g;

/** Removes characters XML cannot carry (and ANSI escapes), keeping a visible trace. */
export function toXmlChars(text: string): string {
  return text.replace(ANSI, '').replace(INVALID_XML_CHARS, '\uFFFD');
}

/** Escapes text content for XML and HTML. */
export function escapeXml(text: string): string {
  return toXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes a value for a double- or single-quoted attribute. Newlines and tabs
 * become character references because parsers normalise literal ones to spaces.
 */
export function escapeXmlAttr(text: string): string {
  return escapeXml(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** HTML uses the same rules; &apos; is valid in HTML5 but &#39; is safer everywhere. */
export function escapeHtml(text: string): string {
  return escapeXml(text).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Makes text safe inside one GitHub-flavoured Markdown table cell: no pipes or
 * newlines (they end the cell/row) and no raw HTML (GitHub renders some).
 */
export function escapeMarkdownCell(text: string): string {
  return escapeMarkdownInline(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Escapes inline Markdown text: HTML and the characters that start emphasis or code. */
export function escapeMarkdownInline(text: string): string {
  return toXmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]])/g, '\\$1');
}

/** Shortens text to at most max characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
