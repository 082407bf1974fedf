import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SOCKET, compareVersions, serverVersion, targetFromEnv } from './deploy';

describe('deploy settings', () => {
  it('reads the target from the environment: token first, then username/password, then the local socket', () => {
    assert.deepEqual(targetFromEnv({ MM_SERVICESETTINGS_SITEURL: 'https://chat.example.com', MM_ADMIN_TOKEN: 't', MM_ADMIN_USERNAME: 'u', MM_ADMIN_PASSWORD: 'p' }), {
      kind: 'token',
      siteURL: 'https://chat.example.com',
      token: 't',
    });
    assert.deepEqual(targetFromEnv({ MM_SERVICESETTINGS_SITEURL: 'https://chat.example.com', MM_ADMIN_USERNAME: 'u', MM_ADMIN_PASSWORD: 'p' }), {
      kind: 'password',
      siteURL: 'https://chat.example.com',
      username: 'u',
      password: 'p',
    });
    assert.throws(() => targetFromEnv({ MM_SERVICESETTINGS_SITEURL: 'https://chat.example.com', MM_ADMIN_USERNAME: 'u' }), /no credentials/);
    assert.throws(() => targetFromEnv({}), new RegExp(`no socket at ${DEFAULT_SOCKET.replaceAll('/', '\\/').replaceAll('.', '\\.')}`));
  });

  it('reads the server version from X-Version-Id and compares x.y.z', () => {
    assert.equal(serverVersion({ 'x-version-id': '11.1.0.18423652113.2a3b.false' }), '11.1.0');
    assert.equal(serverVersion({}), undefined);
    assert.ok(compareVersions('10.10.9', '10.11.0') < 0);
    assert.ok(compareVersions('10.11.0', '10.11.0') === 0);
    assert.ok(compareVersions('11.1.0', '10.11.0') > 0);
    assert.ok(compareVersions('10.11', '10.11.0') === 0);
  });
});
