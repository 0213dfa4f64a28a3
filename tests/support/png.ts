/**
 * A strict PNG check for tests, as an image consumer decodes one: the signature, every chunk's
 * CRC, IHDR first and IEND last, and the IDAT stream inflating to exactly the bytes the header
 * promises (one filter byte per row plus the row's pixels). Returns the header's figures.
 */
import { inflateSync } from "node:zlib";

// zlib.crc32 is newer than the Node.js versions the project supports (≥ 20.9).
const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer, crc = 0): number {
  let c = ~crc >>> 0;
  for (const byte of data) c = TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Samples per pixel by colour type (greyscale, RGB, palette, grey + alpha, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
}

export function decodePng(buf: Buffer): PngInfo {
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG: bad signature");
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.subarray(at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (data.length !== length) throw new Error(`truncated ${type.toString("latin1")} chunk`);
    if (crc32(data, crc32(type)) !== buf.readUInt32BE(at + 8 + length)) throw new Error(`bad CRC in ${type.toString("latin1")}`);
    chunks.push({ type: type.toString("latin1"), data });
    at += 12 + length;
  }
  if (chunks[0]?.type !== "IHDR" || chunks[chunks.length - 1]?.type !== "IEND") throw new Error("IHDR must come first and IEND last");
  const h = chunks[0].data;
  const info = { width: h.readUInt32BE(0), height: h.readUInt32BE(4), bitDepth: h[8]!, colorType: h[9]! };
  if (h[12] !== 0) throw new Error("interlaced PNGs are not checked here");
  const channels = CHANNELS[info.colorType];
  if (!channels) throw new Error(`bad colour type ${info.colorType}`);
  const pixels = inflateSync(Buffer.concat(chunks.filter((c) => c.type === "IDAT").map((c) => c.data)));
  const rowBytes = 1 + Math.ceil((info.width * channels * info.bitDepth) / 8);
  if (pixels.length !== rowBytes * info.height) throw new Error(`image data is ${pixels.length} bytes, expected ${rowBytes * info.height}`);
  return info;
}
