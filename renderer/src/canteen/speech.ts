/**
 * Calling numbers aloud: "10号，请取餐", said twice, one announcement at a time, with the
 * browser's zh-CN speech synthesis. Voices load late (Chromium fills `getVoices()` after
 * `voiceschanged`), so the announcer waits for them a moment before it decides. Where no Chinese
 * voice is installed (headless Chromium, many Linux PCs) the screen says so and a chime (WebAudio)
 * stands in for the voice; a browser that blocks sound until a tap gets a button to turn it on.
 */
export type VoiceState = 'checking' | 'voice' | 'noVoice';

/** How long to wait for `voiceschanged` before deciding there is no Chinese voice. */
const VOICE_WAIT_MS = 1_500;
/** The chime's length, and the pause between the two sayings of an announcement. */
const CHIME_MS = 900;
const PAUSE_MS = 400;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Announcer {
  private readonly queue: { text: string; done: () => void }[] = [];
  private running = false;
  private voice: SpeechSynthesisVoice | null = null;
  private audio: AudioContext | null = null;
  readonly ready: Promise<VoiceState>;

  constructor(private readonly onState: (s: VoiceState) => void, private readonly onSaid: (text: string) => void = () => {}) {
    this.ready = this.findVoice().then((voice) => {
      this.voice = voice;
      const state: VoiceState = voice ? 'voice' : 'noVoice';
      onState(state);
      return state;
    });
  }

  private async findVoice(): Promise<SpeechSynthesisVoice | null> {
    const synth = globalThis.speechSynthesis as SpeechSynthesis | undefined;
    if (!synth) return null;
    const pick = () => synth.getVoices().find((v) => v.lang.replace('_', '-').toLowerCase() === 'zh-cn') ?? synth.getVoices().find((v) => v.lang.toLowerCase().startsWith('zh')) ?? null;
    const now = pick();
    if (now) return now;
    return new Promise((resolve) => {
      const done = () => {
        synth.removeEventListener('voiceschanged', onChange);
        clearTimeout(timer);
        resolve(pick());
      };
      const onChange = () => {
        if (pick()) done();
      };
      synth.addEventListener('voiceschanged', onChange);
      const timer = setTimeout(done, VOICE_WAIT_MS);
    });
  }

  /** Whether sound is blocked until someone taps (a browser's autoplay rule). */
  get soundBlocked(): boolean {
    return this.audio?.state === 'suspended';
  }

  /** Turns sound on after a tap (a browser lets a page play sound only after one). */
  async enableSound(): Promise<void> {
    this.audio ??= new AudioContext();
    await this.audio.resume().catch(() => undefined);
  }

  /** Says `text` twice, after every announcement queued before it. Resolves when it has been said. */
  announce(text: string): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ text, done: resolve });
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.ready;
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        for (let i = 0; i < 2; i++) {
          if (this.voice) await this.speak(next.text);
          else await this.chime();
          await sleep(PAUSE_MS);
        }
        this.onSaid(next.text);
        next.done();
      }
    } finally {
      this.running = false;
    }
  }

  private speak(text: string): Promise<void> {
    return new Promise((resolve) => {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = 'zh-CN';
      u.voice = this.voice;
      u.rate = 0.9;
      // A voice that never ends (a stuck engine) must not hold the queue for ever.
      const timer = setTimeout(resolve, 8_000);
      u.onend = u.onerror = () => {
        clearTimeout(timer);
        resolve();
      };
      speechSynthesis.speak(u);
    });
  }

  /** Two soft tones (叮咚), about a second. */
  private async chime(): Promise<void> {
    try {
      this.audio ??= new AudioContext();
      const ctx = this.audio;
      const t = ctx.currentTime;
      for (const [freq, at] of [[880, 0], [660, 0.35]] as const) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t + at);
        gain.gain.exponentialRampToValueAtTime(0.3, t + at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + at + 0.5);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t + at);
        osc.stop(t + at + 0.55);
      }
    } catch {
      // No audio device: the screen still shows the number.
    }
    await sleep(CHIME_MS);
  }

  close(): void {
    (globalThis.speechSynthesis as SpeechSynthesis | undefined)?.cancel();
    void this.audio?.close().catch(() => undefined);
  }
}
