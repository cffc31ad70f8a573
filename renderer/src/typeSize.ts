/*
 * The larger-type mode of a staff screen (issue 13): switched on per device, since each kiosk is
 * its own browser profile, and kept in its localStorage so it holds across reloads and sign-ins
 * and is set before the first paint. It scales the root font size; the screens size text in rem.
 */

const KEY = 'linli.largeType';

/** Whether this device shows the larger type. */
export function largeTypeOn(storage: Pick<Storage, 'getItem'> = localStorage): boolean {
  return storage.getItem(KEY) === '1';
}

/** Switches the larger type on or off for this device, and on the page now. */
export function setLargeType(on: boolean, storage: Pick<Storage, 'setItem'> = localStorage, root: HTMLElement = document.documentElement): void {
  storage.setItem(KEY, on ? '1' : '0');
  root.classList.toggle('large-type', on);
}

/** Lays the device's choice on the page (at start, before the first paint). */
export function applyLargeType(root: HTMLElement = document.documentElement): void {
  root.classList.toggle('large-type', largeTypeOn());
}
