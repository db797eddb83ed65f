import { language } from './i18n/i18n.js';
import './components/isofleet-app.js';

document.documentElement.lang = language() === 'zh' ? 'zh-CN' : 'en';
