/** Where the preview looks: a rectangle dragged on the photo, over the faces found (a click on one leaves it as it is). */
import type { Region } from '../../../electron/shared/contract/engine.js';
import { RegionPicker, type FaceChoice } from './RegionPicker.js';

export interface RegionPaneProps {
  src: string;
  region: Region;
  onRegion(region: Region): void;
  faces: FaceChoice[];
  onToggleFace(index: number): void;
}

export function RegionPane({ src, region, onRegion, faces, onToggleFace }: RegionPaneProps) {
  return (
    <section className="card">
      <h2>Region to preview</h2>
      <p className="muted small">
        Drag on the photo to choose the part to try first.{faces.length > 0 && ' Numbered boxes are the faces found: click one to leave it as it is.'}
      </p>
      <RegionPicker src={src} region={region} onChange={onRegion} faces={faces} onToggleFace={onToggleFace} />
    </section>
  );
}
