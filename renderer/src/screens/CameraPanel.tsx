import { useEffect, useRef, useState } from 'react';
import { useWords } from '../i18n.js';
import { CameraScanner } from '../scan/camera/camera.js';

/**
 * The camera view at the counter, for QR codes on phones and cards. The camera is on only while
 * this panel is shown; leaving it releases the camera.
 */
export function CameraPanel({ onScan, onClose }: { onScan(code: string): void; onClose(): void }) {
  const { t } = useWords();
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const scanRef = useRef(onScan);
  scanRef.current = onScan;
  useEffect(() => {
    const scanner = new CameraScanner((d) => scanRef.current(d.text));
    if (video.current) scanner.start(video.current).catch(() => setFailed(true));
    return () => scanner.stop();
  }, []);
  return (
    <section className="camera" data-testid="camera">
      {/* Close first: on a short screen the picture (or why there is none) may run below the fold. */}
      <button className="secondary" onClick={onClose}>{t.cameraClose}</button>
      {failed ? <p className="error" role="alert">{t.cameraFailed}</p> : <video ref={video} muted playsInline />}
    </section>
  );
}
