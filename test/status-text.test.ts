// The status bar's words (client/src/status-text.ts): plain functions, no VS Code needed.
import * as assert from 'node:assert/strict';
import { problemSummary, stackProblems, statusText } from '../client/src/status-text';

describe('status bar text', () => {
  it('says whose it is, then the profile, the mode and the mirror, leaving out what is unknown', () => {
    assert.equal(statusText({ profile: 'k3s', mode: 'proxy', mirrorRegistry: 'harbor.corp:5000' }), 'Air-Gap Lint: k3s · proxy · harbor.corp:5000');
    assert.equal(statusText({ profile: 'no profile', mirrorRegistry: 'harbor.corp:5000' }), 'Air-Gap Lint: no profile · harbor.corp:5000');
    assert.equal(statusText({ profile: 'custom', mode: 'air-gap' }), 'Air-Gap Lint: custom · air-gap');
    assert.equal(statusText({ profile: 'gke', mode: '', mirrorRegistry: undefined }), 'Air-Gap Lint: gke');
  });

  it('counts the stack: the server\'s numbers for closed layers, the editor\'s diagnostics for open ones', () => {
    const asked: number[] = [];
    const total = stackProblems([{ errors: 2, warnings: 1 }, {}, { errors: 0, warnings: 0 }], (i) => {
      asked.push(i);
      return { errors: 1, warnings: 3 };
    });
    assert.deepEqual(total, { errors: 3, warnings: 4 });
    assert.deepEqual(asked, [1], 'only the layer without counts is counted by the editor');
  });

  it('words the count for one file and for a stack', () => {
    assert.equal(problemSummary({ errors: 1, warnings: 2 }, 2), '1 error, 2 warnings in the 2 files of this layer stack');
    assert.equal(problemSummary({ errors: 0, warnings: 0 }, 1), 'No errors or warnings in this file');
    assert.equal(problemSummary({ errors: 3, warnings: 1 }, 1), '3 errors, 1 warning in this file');
  });
});
