/**
 * Renders the demo story's pictures (committed in data/images/) from small SVG scenes.
 * Run once when a picture changes: `node playground/scripts/generate-demo-images.mjs`.
 * sharp comes with Strapi's upload plugin.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import sharp from 'sharp';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data/images');

const car = ({ x, y, scale = 1, body, glass = '#cfe3f0' }) => `
  <g transform="translate(${x} ${y}) scale(${scale})">
    <path d="M0 60 Q4 34 40 30 L92 8 Q120 -2 170 6 L222 30 Q262 34 268 58 L268 74 L0 74 Z" fill="${body}"/>
    <path d="M100 14 Q124 6 160 10 L196 30 L86 30 Z" fill="${glass}"/>
    <rect x="244" y="42" width="22" height="8" rx="3" fill="#ffe9a8"/>
    <rect x="2" y="44" width="14" height="7" rx="3" fill="#d9454b"/>
    <circle cx="60" cy="76" r="22" fill="#22252b"/><circle cx="60" cy="76" r="10" fill="#9aa3ad"/>
    <circle cx="210" cy="76" r="22" fill="#22252b"/><circle cx="210" cy="76" r="10" fill="#9aa3ad"/>
  </g>`;

const scene = ({ width, height, sky, ground, content }) => `
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${sky[0]}"/><stop offset="1" stop-color="${sky[1]}"/>
    </linearGradient>
  </defs>
  <rect width="${width}" height="${height}" fill="url(#sky)"/>
  <rect y="${height * 0.72}" width="${width}" height="${height * 0.28}" fill="${ground}"/>
  ${content}
</svg>`;

const hills = (width, height, color) =>
  `<path d="M0 ${height * 0.72} Q${width * 0.2} ${height * 0.45} ${width * 0.42} ${height * 0.68} Q${width * 0.62} ${height * 0.5} ${width} ${height * 0.7} L${width} ${height * 0.72} L0 ${height * 0.72} Z" fill="${color}"/>`;

const pictures = {
  // The homepage hero: a calm evening drive.
  'hero-default': {
    width: 1200,
    height: 630,
    sky: ['#27466e', '#f3a462'],
    ground: '#3b3f46',
    content: (w, h) =>
      `${hills(w, h, '#324d63')}<circle cx="930" cy="210" r="70" fill="#ffd58a" opacity="0.85"/>
       <rect y="${h * 0.83}" width="${w}" height="8" fill="#d8d2c4" opacity="0.6"/>${car({ x: 380, y: 370, scale: 1.6, body: '#c9ced6' })}`,
  },
  // Article: the Aurora EV and its range.
  'aurora-ev': {
    width: 800,
    height: 450,
    sky: ['#0f4c5c', '#9fd8cb'],
    ground: '#2f4f4f',
    content: (w, h) =>
      `${hills(w, h, '#2c6e6a')}<rect x="620" y="210" width="46" height="110" rx="8" fill="#e9f5f2"/>
       <path d="M643 236 l-12 26 h12 l-6 24 l20 -32 h-12 l8 -18 z" fill="#1f9d8b"/>${car({ x: 200, y: 250, scale: 1.3, body: '#1f9d8b' })}`,
  },
  // Article: the online configurator.
  configurator: {
    width: 800,
    height: 450,
    sky: ['#f4f1ea', '#e2ddd2'],
    ground: '#cfc8ba',
    content: () =>
      `${['#c0392b', '#2c3e50', '#f1c40f', '#ecf0f1', '#16a085']
        .map(
          (color, i) =>
            `<circle cx="${200 + i * 100}" cy="90" r="30" fill="${color}" stroke="#8a8477" stroke-width="3"/>`
        )
        .join('')}${car({ x: 230, y: 230, scale: 1.25, body: '#c0392b' })}`,
  },
  // Article: electrifying a company fleet.
  fleet: {
    width: 800,
    height: 450,
    sky: ['#1e3a5f', '#8fb3d9'],
    ground: '#44505c',
    content: (w, h) =>
      `${hills(w, h, '#2d4a6b')}${car({ x: 40, y: 290, scale: 0.85, body: '#f5f7fa' })}${car({ x: 290, y: 290, scale: 0.85, body: '#f5f7fa' })}${car({ x: 540, y: 290, scale: 0.85, body: '#f5f7fa' })}`,
  },
  // Article: safety ratings for every seat.
  safety: {
    width: 800,
    height: 450,
    sky: ['#5b8c5a', '#d7ecc8'],
    ground: '#6b7f5e',
    content: (w, h) =>
      `${hills(w, h, '#4f7a4d')}<path d="M640 90 l70 28 v60 q0 60 -70 92 q-70 -32 -70 -92 v-60 z" fill="#f7f9f4" stroke="#3e6b3c" stroke-width="6"/>
       <path d="M610 170 l22 24 l42 -50" fill="none" stroke="#3e6b3c" stroke-width="12" stroke-linecap="round"/>${car({ x: 120, y: 260, scale: 1.3, body: '#35608f' })}`,
  },
};

await mkdir(outDir, { recursive: true });
for (const [name, { content, ...picture }] of Object.entries(pictures)) {
  const svg = scene({ ...picture, content: content(picture.width, picture.height) });
  const file = path.join(outDir, `${name}.jpg`);
  const { size } = await sharp(Buffer.from(svg)).jpeg({ quality: 72, mozjpeg: true }).toFile(file);
  console.log(
    `${path.relative(process.cwd(), file)}  ${picture.width}x${picture.height}  ${(size / 1024).toFixed(1)} KB`
  );
}
