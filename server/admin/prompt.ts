import { createInterface } from 'node:readline';

/**
 * Asks a person for what must not be typed on the command line (PINs: a command line is seen by
 * every user of the machine in `ps` and kept in the shell's history). On a terminal it asks and
 * reads without echo; when stdin is not a terminal it takes one line of stdin per answer, so a
 * script can pipe them in: `printf '135790\n' | npm run admin -- devices --card LS00018`.
 */
export type Prompter = {
  /** Asks for one answer; `secret` answers are not shown as they are typed. */
  ask(question: string, options?: { secret?: boolean }): Promise<string>;
  /** Whether a person at a terminal answers (else stdin's lines do). */
  readonly interactive: boolean;
  close(): void;
};

export function prompter(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Prompter {
  let lines: { iterator: AsyncIterator<string>; close(): void } | null = null;
  const nextLine = async (): Promise<string> => {
    if (!lines) {
      const rl = createInterface({ input, crlfDelay: Infinity });
      lines = { iterator: rl[Symbol.asyncIterator](), close: () => rl.close() };
    }
    const r = await lines.iterator.next();
    if (r.done) throw new Error('stdin ended before every answer was given / 标准输入提前结束');
    return r.value.trim();
  };
  return {
    interactive: input.isTTY === true,
    ask: async (question, options = {}) => {
      if (input.isTTY !== true) return nextLine();
      output.write(question);
      return readTerminal(input, output, options.secret !== true);
    },
    close: () => lines?.close(),
  };
}

/** Reads one line from a terminal in raw mode, echoing it or not. */
function readTerminal(input: NodeJS.ReadStream, output: NodeJS.WriteStream, echo: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(value.trim());
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new Error('cancelled / 已取消'));
        if (ch === '\u007f' || ch === '\b') {
          if (value.length > 0) {
            value = [...value].slice(0, -1).join('');
            if (echo) output.write('\b \b');
          }
          continue;
        }
        value += ch;
        if (echo) output.write(ch);
      }
      return undefined;
    };
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
