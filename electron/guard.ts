import { isAllowedNavigation } from './kiosk.js';

/**
 * The app-wide guard every web contents gets the moment it is made (`web-contents-created`), so it
 * covers every window there is or will be: the kiosk, the calling screen, the hidden print window,
 * and anything a page might try to open. A window may show only the kiosk's own pages, follows no
 * redirect elsewhere, opens no new window, attaches no `<webview>`, and is not zoomed.
 *
 * `GuardedContents` is the part of Electron's `WebContents` the guard uses; main.ts passes the real
 * one (so the compiler checks it against Electron's types) and the tests a recording fake.
 */
export type Preventable = { preventDefault(): void };
/** What a navigation event carries (Electron 25+: the URL is on the event). */
export type NavigationEvent = Preventable & { url: string };

export type GuardedContents = {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  on(event: 'did-finish-load', listener: () => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  setVisualZoomLevelLimits(minimumLevel: number, maximumLevel: number): Promise<void>;
};

/** What the guard refused, for the log. */
export type Refusal = { what: 'navigation' | 'redirect' | 'new window' | 'webview'; url: string };

export function guardContents(contents: GuardedContents, onRefused: (r: Refusal) => void = () => {}): void {
  const limit = (what: Refusal['what']) => (event: NavigationEvent) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    onRefused({ what, url: event.url });
  };
  contents.on('will-navigate', limit('navigation'));
  // Subframes too (an iframe the page never has, or one injected into it).
  contents.on('will-frame-navigate', limit('navigation'));
  contents.on('will-redirect', limit('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onRefused({ what: 'webview', url: '' });
  });
  contents.setWindowOpenHandler(({ url }) => {
    onRefused({ what: 'new window', url });
    return { action: 'deny' };
  });
  // Pinch-zoom off: a touchscreen kiosk must not be left zoomed in by a resident's two fingers.
  // Set on every load: the limits belong to the page's renderer, which a reload replaces.
  contents.on('did-finish-load', () => void contents.setVisualZoomLevelLimits(1, 1).catch(() => undefined));
}
