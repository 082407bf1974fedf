// The App Bar and header icon: a small SVG in a data: URL (the App Bar wants a URL, and a data URL
// needs no file in the bundle's public/ folder). currentColor does not apply in an <img>, so the
// icon uses a mid grey that reads on light and dark sidebars.
const svg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#7a7f8c" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">' +
  '<path d="M12 2 3 6v6c0 5 4 9 9 10 5-1 9-5 9-10V6z"/><path d="M12 8v5"/><circle cx="12" cy="16.5" r="0.6" fill="#7a7f8c"/></svg>';

export const APP_BAR_ICON_URL = `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
