/** Whether this kiosk page was opened as the calling screen (`#display` in its address). */
export function isCallingDisplay(): boolean {
  return new URLSearchParams(location.hash.slice(1)).has('display');
}
