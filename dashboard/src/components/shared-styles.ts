import { css } from 'lit';

/** Buttons, status chips and panels shared by every screen: high contrast, big targets. */
export const sharedStyles = css`
  /* Standard values; the outdoor theme (theme.ts) overrides them through --isofleet-* on the document. */
  :host {
    --ink: var(--isofleet-ink, #0d1117);
    --muted: var(--isofleet-muted, #3d4450);
    --paper: var(--isofleet-paper, #ffffff);
    --bg: var(--isofleet-bg, #eef1f5);
    --line: var(--isofleet-line, #c5ccd6);
    --accent: var(--isofleet-accent, #083a7a);
    --ok: var(--isofleet-ok, #0a4d20);
    --ok-bg: var(--isofleet-ok-bg, #d4f5dc);
    --warn: var(--isofleet-warn, #5e3300);
    --warn-bg: var(--isofleet-warn-bg, #ffe7b8);
    --bad: var(--isofleet-bad, #7a0c16);
    --bad-bg: var(--isofleet-bad-bg, #ffd6d9);
    --info-bg: var(--isofleet-info-bg, #dce9fb);
    --border: var(--isofleet-border, 2px);
    color: var(--ink);
    font: 16px/1.35 system-ui, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif;
    font-weight: var(--isofleet-weight, 400);
  }
  button {
    font: inherit;
    font-weight: 600;
    min-height: 60px;
    min-width: 60px;
    padding: 6px 16px;
    border-radius: 10px;
    border: var(--border) solid var(--ink);
    background: var(--paper);
    color: var(--ink);
    cursor: pointer;
    touch-action: manipulation;
  }
  button.primary {
    background: var(--accent);
    border-color: var(--accent);
    color: #fff;
  }
  button.danger {
    background: var(--bad);
    border-color: var(--bad);
    color: #fff;
  }
  button[aria-pressed='true'] {
    background: var(--ink);
    color: #fff;
  }
  button:disabled {
    opacity: 0.45;
    cursor: not-allowed;
  }
  select, input:not([type='checkbox']):not([type='radio']):not([type='file']) {
    min-height: 60px;
    box-sizing: border-box;
  }
  input[type='checkbox'] {
    width: 60px;
    height: 60px;
  }
  button:focus-visible {
    outline: 4px solid #ffb000;
    outline-offset: 2px;
  }
  .panel {
    background: var(--paper);
    border-radius: 12px;
    padding: 12px 14px;
    box-shadow: 0 1px 3px #0003;
  }
  h2 {
    font-size: 20px;
    margin: 0 0 10px;
  }
  h3 {
    font-size: 17px;
    margin: 8px 0;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 2px 10px;
    border-radius: 999px;
    font-weight: 600;
    font-size: 14px;
    border: calc(var(--border) - 1px) solid transparent;
    background: #e3e6ea;
    white-space: nowrap;
  }
  /* Paused: two bars, a shape besides the colour and the word (a screen in the sun may wash the colour out). */
  .mark-paused {
    display: inline-block;
    flex: none;
    width: 0.55em;
    height: 0.8em;
    margin-right: 0.3em;
    border-left: 0.2em solid currentColor;
    border-right: 0.2em solid currentColor;
    box-sizing: border-box;
    vertical-align: -0.05em;
  }
  .chip.ok { background: var(--ok-bg); color: var(--ok); border-color: var(--ok); }
  .chip.warn { background: var(--warn-bg); color: var(--warn); border-color: var(--warn); }
  .chip.bad { background: var(--bad-bg); color: var(--bad); border-color: var(--bad); }
  .chip.info { background: var(--info-bg); color: var(--accent); border-color: var(--accent); }
  .muted { color: var(--muted); }
  /* Ids in tables stay on one line: "robot-" over "1" reads as two things. */
  .nowrap { white-space: nowrap; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); }
  /* A phone has no room for columns: each row becomes a card, so the page never scrolls sideways. */
  @media (max-width: 600px) {
    table, tbody, tr, td { display: block; width: auto; }
    thead { display: none; }
    tr { border-bottom: 2px solid var(--line); padding: 6px 0; }
    td { border: none; padding: 3px 4px; white-space: normal; }
  }
  .note { padding: 10px 12px; border-radius: 8px; background: var(--warn-bg); color: var(--warn); font-weight: 600; }
  .error { padding: 10px 12px; border-radius: 8px; background: var(--bad-bg); color: var(--bad); font-weight: 700; }
  .success { padding: 10px 12px; border-radius: 8px; background: var(--ok-bg); color: var(--ok); font-weight: 700; }
`;
