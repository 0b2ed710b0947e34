import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

// code-server starts with --disable-telemetry and --disable-update-check (scripts/code-server.mjs),
// and the settings it is given turn telemetry off for extensions too, which the flag alone does not.
describe('the test host', () => {
  it('has telemetry off, as the workbench and every extension see it', () => {
    assert.equal(vscode.env.isTelemetryEnabled, false);
    assert.equal(vscode.workspace.getConfiguration('telemetry').get('telemetryLevel'), 'off');
  });

  it('checks for no updates of itself or its extensions', () => {
    assert.equal(vscode.workspace.getConfiguration('update').get('mode'), 'none');
    assert.equal(vscode.workspace.getConfiguration('extensions').get('autoCheckUpdates'), false);
  });
});
