// Bolt for JavaScript acknowledging a bare /kpi slash command and doing nothing else: the baseline the design
// compares KpiBot's signed /kpi log acknowledgement with (docs/performance.md, "Slack"). Started by
// `dotnet run -c Release --project bench/KpiBot.Benchmarks -- slack-vs-bolt`, which passes the signing secret and port.
const { App, LogLevel } = require('@slack/bolt');

const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  token: 'xoxb-bench',
  // No auth.test call, at start or on the first request: there is no Slack here, only the loopback driver.
  tokenVerificationEnabled: false,
  botId: 'B0BENCH',
  botUserId: 'U0BENCH',
  logLevel: LogLevel.ERROR,
});

app.command('/kpi', async ({ ack }) => {
  await ack();
});

(async () => {
  const port = Number(process.env.PORT || 3000);
  await app.start(port);
  console.log(`bolt listening on ${port}`);
})();
