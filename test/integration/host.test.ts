import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

// code-server starts with --disable-telemetry and --disable-update-check (scripts/code-server.mjs),
// and the settings it is given turn telemetry off for extensions too, which the flag alone does not.
describe('the test host', () => {
  it('has telemetry off, as the workbench and every extension see it', () => {
    assert.equal(vscode.env.isTelemetryEnabled, false);
    assert.equal(vscode.workspace.getConfiguration('telemetry').get('telemetryLevel'), 'off');
  });

  it('serves a workbench page whose configuration says telemetry is off', async () => {
    const page = await (await fetch(`${process.env.IPV6_LAMBDA_HOST_URL}/`)).text();
    // The page carries its configuration HTML-escaped in a meta element's data-settings.
    const settings = /id="vscode-workbench-web-configuration" data-settings="([^"]*)"/.exec(page)?.[1];
    assert.ok(settings, 'the served page has a workbench configuration');
    const configuration = JSON.parse(settings.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    assert.equal(configuration.productConfiguration.enableTelemetry, false);
  });

  it('checks for no updates of itself or its extensions', () => {
    assert.equal(vscode.workspace.getConfiguration('update').get('mode'), 'none');
    assert.equal(vscode.workspace.getConfiguration('extensions').get('autoCheckUpdates'), false);
  });
});
