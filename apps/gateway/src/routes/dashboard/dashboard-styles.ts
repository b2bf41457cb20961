/** The dashboard's stylesheet, served at `/dashboard/assets/dashboard.css`. */
export const dashboardStyles = `
:root { --bg: #f6f7f9; --fg: #1d2330; --muted: #667085; --card: #fff; --line: #d9dde5;
  --green: #12b76a; --amber: #f79009; --red: #d92d20; --grey: #98a2b3; --p50: #2e90fa; --p95: #7a5af8; --p99: #ee46bc; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
header.top { display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: var(--fg); color: #fff; }
header.top h1 { font-size: 18px; margin: 0; flex: 1; }
header.top form { margin: 0; }
header.top .who { color: #cfd4dc; }
main { padding: 16px 20px; display: grid; gap: 16px; }
section.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
section.panel > h2 { font-size: 15px; margin: 0 0 10px; display: flex; gap: 12px; align-items: center; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-left: 6px solid var(--grey); border-radius: 6px; padding: 10px 12px; }
.card.tone-green { border-left-color: var(--green); }
.card.tone-amber { border-left-color: var(--amber); background: #fffaeb; }
.card.tone-red { border-left-color: var(--red); background: #fef3f2; }
.card header { display: flex; justify-content: space-between; align-items: center; }
.card h3 { margin: 0; font-size: 16px; }
.badge { padding: 1px 8px; border-radius: 10px; font-size: 12px; background: var(--grey); color: #fff; }
.tone-green .badge { background: var(--green); } .tone-amber .badge { background: var(--amber); } .tone-red .badge { background: var(--red); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
dt { color: var(--muted); } dd { margin: 0; font-variant-numeric: tabular-nums; }
.sparkline { margin: 4px 0; } .sparkline figcaption, figure figcaption { color: var(--muted); font-size: 12px; }
.key::before { content: ""; display: inline-block; width: 10px; height: 3px; margin-right: 3px; vertical-align: middle; }
.key.p50::before { background: var(--p50); } .key.p95::before { background: var(--p95); } .key.p99::before { background: var(--p99); }
.chart { background: #fbfcfd; } .chart .axis { stroke: var(--line); } .chart .tick { font-size: 9px; fill: var(--muted); }
.last-error { color: var(--red); font-size: 12px; margin: 4px 0; overflow-wrap: anywhere; }
.actions { display: flex; gap: 6px; margin-top: 6px; }
button, select, input { font: inherit; }
button { border: 1px solid var(--line); background: #fff; border-radius: 4px; padding: 3px 10px; cursor: pointer; }
button:disabled { opacity: .45; cursor: default; }
#flash:empty { display: none; } #flash { padding: 8px 12px; border-radius: 6px; background: #ecfdf3; border: 1px solid var(--green); }
#flash .error { color: var(--red); }
table.decisions { width: 100%; border-collapse: collapse; font-size: 12px; }
table.decisions th, table.decisions td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); }
table.decisions tr.failure td { color: var(--red); } table.decisions tr.fell-back td { background: #fffaeb; }
.two { display: grid; grid-template-columns: 2fr 1fr; gap: 16px; } @media (max-width: 1000px) { .two { grid-template-columns: 1fr; } }
ul.alerts { list-style: none; padding: 0; margin: 0; } li.alert { padding: 3px 0; border-bottom: 1px solid var(--line); }
li.alert.firing strong { color: var(--red); } li.alert.resolved strong { color: var(--green); }
.when { color: var(--muted); font-variant-numeric: tabular-nums; }
.empty { color: var(--muted); margin: 4px 0; }
.trend h3 { font-size: 14px; margin: 8px 0 4px; } .trend small { color: var(--muted); font-weight: normal; }
.trend-charts { display: flex; flex-wrap: wrap; gap: 12px; } .trend-charts figure { margin: 0; }
.live { font-size: 12px; color: var(--muted); font-weight: normal; }
.login { max-width: 420px; margin: 12vh auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 24px; }
.login h1 { margin-top: 0; font-size: 20px; } .login input { width: 100%; padding: 6px 8px; margin: 6px 0 12px; }
.login .error { color: var(--red); }
`;
