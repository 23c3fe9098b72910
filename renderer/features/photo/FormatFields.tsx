/** The export format and, for lossy formats, its quality: the same two fields wherever photos are exported. */
export type ExportFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'avif';

const LOSSY: readonly ExportFormat[] = ['jpeg', 'webp', 'avif'];

export function isLossy(format: ExportFormat): boolean {
  return LOSSY.includes(format);
}

export function FormatFields({ format, quality, onFormat, onQuality }: { format: ExportFormat; quality: number; onFormat(f: ExportFormat): void; onQuality(q: number): void }) {
  return (
    <>
      <label className="field inline">
        <span>Format</span>
        <select aria-label="Export format" value={format} onChange={(e) => onFormat(e.target.value as ExportFormat)}>
          <option value="jpeg">JPEG</option>
          <option value="png">PNG</option>
          <option value="webp">WebP</option>
          <option value="tiff">TIFF</option>
          <option value="avif">AVIF</option>
        </select>
      </label>
      {isLossy(format) && (
        <label className="field inline">
          <span>Quality {quality}</span>
          <input aria-label="Export quality" type="range" min={1} max={100} value={quality} onChange={(e) => onQuality(Number(e.target.value))} />
        </label>
      )}
    </>
  );
}
