// A deliberately strict, tiny XML parser for the JUnit tests: elements,
// attributes, text, the five predefined entities and numeric references.
// It rejects anything that is not well-formed XML 1.0 for that subset (no
// comments, CDATA or DTDs, which junit.ts never emits), so a pass here means
// every real parser (Jenkins, GitHub test reporters) will accept the file.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const INVALID_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const BAD_AMP = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;
const NAME = '[A-Za-z_][\\w.:-]*';
const TAG = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, 'y');
const ATTR = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'g');

export function parseXml(xml: string): XmlElement {
  const invalid = INVALID_CHAR.exec(xml);
  if (invalid) throw new Error(`invalid XML character U+${invalid[0].charCodeAt(0).toString(16)} at ${invalid.index}`);
  let pos = 0;
  const prolog = /^<\?xml\s[^?]*\?>/.exec(xml);
  if (prolog) pos = prolog[0].length;

  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const chunk = xml.slice(pos, lt === -1 ? xml.length : lt);
    if (chunk) {
      if (BAD_AMP.test(chunk)) throw new Error(`unescaped & in text near ${JSON.stringify(chunk.slice(0, 40))}`);
      if (chunk.includes(']]>')) throw new Error(']]> in text');
      const top = stack.at(-1)!;
      if (top === root && chunk.trim()) throw new Error(`text outside the root element: ${JSON.stringify(chunk.slice(0, 40))}`);
      top.text += decode(chunk);
    }
    if (lt === -1) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${JSON.stringify(xml.slice(lt, lt + 60))}`);
    const [whole, closing, name, attrText, selfClosing] = m;
    pos = lt + whole.length;
    if (closing) {
      if (attrText || selfClosing) throw new Error(`malformed end tag </${name}>`);
      const open = stack.pop();
      if (!open || open === root || open.name !== name) throw new Error(`</${name}> does not close <${open?.name}>`);
      continue;
    }
    const element: XmlElement = { name: name!, attrs: parseAttrs(attrText ?? '', name!), children: [], text: '' };
    const parent = stack.at(-1)!;
    if (parent === root && root.children.length) throw new Error('more than one root element');
    parent.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  const doc = root.children[0];
  if (!doc) throw new Error('no root element');
  return doc;
}

function parseAttrs(text: string, tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of text.matchAll(ATTR)) {
    const [, name, dq, sq] = m;
    const raw = dq ?? sq ?? '';
    if (BAD_AMP.test(raw)) throw new Error(`unescaped & in ${tag}@${name}`);
    if (name! in attrs) throw new Error(`duplicate attribute ${tag}@${name}`);
    // Attribute-value normalisation: literal whitespace becomes a space; references survive.
    attrs[name!] = decode(raw.replace(/[\t\n\r]/g, ' '));
  }
  return attrs;
}

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g, (_, ref: string) => {
    switch (ref) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const code = ref.startsWith('#x') ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    if (INVALID_CHAR.test(String.fromCodePoint(code)) && code !== 0x9 && code !== 0xa && code !== 0xd) {
      throw new Error(`reference to invalid character &${ref};`);
    }
    return String.fromCodePoint(code);
  });
}

/** All descendants named name, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((c) => [...(c.name === name ? [c] : []), ...findAll(c, name)]);
}
