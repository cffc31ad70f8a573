import iconv from 'iconv-lite';

/**
 * Reads ESC/POS bytes back, as a printer would: the text lines (decoded from GB18030) with the
 * size and alignment they print at, and the commands in between. Written for the tests, from the
 * command reference, independently of the renderer.
 */
export type Decoded = {
  lines: { text: string; size: 1 | 2 | 4; align: 'left' | 'center' | 'right'; bold: boolean }[];
  commands: string[];
  qr: string[];
  barcodes: { format: 'EAN13' | 'CODE128'; data: string }[];
  cuts: number;
};

export function decodeEscPos(bytes: Uint8Array): Decoded {
  const d: Decoded = { lines: [], commands: [], qr: [], barcodes: [], cuts: 0 };
  let size: 1 | 2 | 4 = 1;
  let align: 'left' | 'center' | 'right' = 'left';
  let bold = false;
  let textBytes: number[] = [];
  let i = 0;
  const need = (n: number) => {
    if (i + n > bytes.length) throw new Error(`truncated command at byte ${i}`);
  };
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      d.lines.push({ text: iconv.decode(Buffer.from(textBytes), 'gb18030'), size, align, bold });
      textBytes = [];
      i += 1;
    } else if (b === 0x1b) {
      need(2);
      const c = bytes[i + 1]!;
      if (c === 0x40) { d.commands.push('init'); i += 2; }
      else if (c === 0x61) { need(3); align = (['left', 'center', 'right'] as const)[bytes[i + 2]!] ?? 'left'; i += 3; }
      else if (c === 0x45) { need(3); bold = bytes[i + 2] === 1; i += 3; }
      else if (c === 0x64) { need(3); d.commands.push(`feed ${bytes[i + 2]}`); i += 3; }
      else throw new Error(`unknown ESC ${c.toString(16)} at ${i}`);
    } else if (b === 0x1c) {
      need(2);
      if (bytes[i + 1] !== 0x26) throw new Error(`unknown FS at ${i}`);
      d.commands.push('chinese');
      i += 2;
    } else if (b === 0x1d) {
      need(2);
      const c = bytes[i + 1]!;
      if (c === 0x21) { need(3); const n = bytes[i + 2]!; size = n === 0 ? 1 : n === 0x11 ? 2 : n === 0x33 ? 4 : (() => { throw new Error(`odd size ${n}`); })(); i += 3; }
      else if (c === 0x56) { need(4); d.cuts += 1; i += 4; }
      else if (c === 0x68 || c === 0x77 || c === 0x48) { need(3); i += 3; }
      else if (c === 0x6b) {
        need(4);
        const m = bytes[i + 2]!;
        const n = bytes[i + 3]!;
        need(4 + n);
        const data = Buffer.from(bytes.slice(i + 4, i + 4 + n)).toString('latin1');
        if (m === 67) d.barcodes.push({ format: 'EAN13', data });
        else if (m === 73) d.barcodes.push({ format: 'CODE128', data: data.replace(/^\{B/, '') });
        else throw new Error(`unknown barcode ${m}`);
        i += 4 + n;
      } else if (c === 0x28) {
        need(7);
        if (bytes[i + 2] !== 0x6b) throw new Error(`unknown GS ( at ${i}`);
        const len = bytes[i + 3]! + bytes[i + 4]! * 256;
        need(5 + len);
        const fn = bytes[i + 6]!;
        if (fn === 0x50) d.qr.push(iconv.decode(Buffer.from(bytes.slice(i + 8, i + 5 + len)), 'gb18030'));
        i += 5 + len;
      } else throw new Error(`unknown GS ${c.toString(16)} at ${i}`);
    } else {
      textBytes.push(b);
      i += 1;
    }
  }
  if (textBytes.length > 0) throw new Error('text after the last line feed would not print');
  return d;
}
