import type { Language } from '../protocol/index.js';

const ZH_ORDINALS = ['一', '二', '三', '四'];
const EN_ORDINALS = ['first', 'second', 'third', 'fourth'];

/**
 * What the robot says at a door, in the resident's language, e.g.
 * "6622号客人，您的菜在第一层托盘，请取餐！" / "Guest 6622, your meal is on the first tray, please collect."
 */
export function announcementText(room: string, tray: number, language: Language): string {
  if (language === 'zh') return `${room}号客人，您的物品在第${ZH_ORDINALS[tray - 1] ?? tray}层托盘，请取餐！`;
  return `Guest ${room}, your delivery is on the ${EN_ORDINALS[tray - 1] ?? `#${tray}`} tray, please collect.`;
}
