// Bootstrap Italia bundles video.js, which adds <style> elements to every page as it loads.
// Our Content-Security-Policy (style-src 'self', no 'unsafe-inline') blocks them, and the
// browser reports a violation on each page. Trama shows no video players: this is video.js's
// own switch for pages with a strict policy. It must run before the bundle.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
