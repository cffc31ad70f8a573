import type { Lang } from '../../../core/index.js';

/**
 * The touchscreen's voice: prompts and the balance said with the browser's speech synthesis, in the
 * screen's language (zh-CN first), one utterance at a time: a new one cancels what is being said,
 * so a prompt never queues behind a stale one. Where no voice of the language is installed
 * (headless Chromium, many Linux PCs) the screen says so and shows the words only.
 */
export type VoiceState = 'checking' | 'voice' | 'noVoice';

/** How long to wait for `voiceschanged` (Chromium fills `getVoices()` late) before deciding there is none. */
const VOICE_WAIT_MS = 1_500;

const LANG_TAG: Record<Lang, string> = { zh: 'zh-CN', en: 'en-US' };

export class Voice {
  private readonly synth = globalThis.speechSynthesis as SpeechSynthesis | undefined;
  private voices: Partial<Record<Lang, SpeechSynthesisVoice | null>> = {};
  readonly ready: Promise<VoiceState>;

  constructor(onState: (s: VoiceState) => void) {
    this.ready = this.findVoices().then(() => {
      const state: VoiceState = this.voices.zh ? 'voice' : 'noVoice';
      onState(state);
      return state;
    });
  }

  private pick(lang: Lang): SpeechSynthesisVoice | null {
    const all = this.synth?.getVoices() ?? [];
    const tag = LANG_TAG[lang].toLowerCase();
    return all.find((v) => v.lang.replace('_', '-').toLowerCase() === tag) ?? all.find((v) => v.lang.toLowerCase().startsWith(lang)) ?? null;
  }

  private async findVoices(): Promise<void> {
    const synth = this.synth;
    if (!synth) return;
    if (!this.pick('zh')) {
      await new Promise<void>((resolve) => {
        const done = () => {
          synth.removeEventListener('voiceschanged', onChange);
          clearTimeout(timer);
          resolve();
        };
        const onChange = () => {
          if (this.pick('zh')) done();
        };
        synth.addEventListener('voiceschanged', onChange);
        const timer = setTimeout(done, VOICE_WAIT_MS);
      });
    }
    this.voices = { zh: this.pick('zh'), en: this.pick('en') };
  }

  /** Says `text` now in `lang`, cutting off whatever was being said. Nothing when no voice of the language is installed. */
  say(text: string, lang: Lang): void {
    const voice = this.voices[lang];
    if (!this.synth || !voice) return;
    this.synth.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.lang = LANG_TAG[lang];
    u.voice = voice;
    u.rate = 0.85;
    this.synth.speak(u);
  }

  /** Stops speaking (the screen went home, or the voice was switched off). */
  hush(): void {
    this.synth?.cancel();
  }
}
