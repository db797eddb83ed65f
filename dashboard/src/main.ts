import { language } from './i18n/i18n.js';
import { store } from './live/live-store.js';
import { siteMap } from './live/site.js';
import { applyTheme } from './theme.js';
import './components/isofleet-app.js';

document.documentElement.lang = language() === 'zh' ? 'zh-CN' : 'en';
applyTheme();
// Start the socket and the site download now, in parallel with loading the screen's code.
if (!store.synthetic) {
  store.start();
  void siteMap();
}
