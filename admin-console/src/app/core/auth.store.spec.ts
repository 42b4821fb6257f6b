import { TestBed } from '@angular/core/testing';

import { PrincipalDto } from '../api/models';
import { SbAuthStore } from './auth.store';

describe('SbAuthStore.mayEdit', () => {
  const as = (role: PrincipalDto['role'], grants: PrincipalDto['grants'] = []) => {
    const auth = TestBed.inject(SbAuthStore);
    auth.setPrincipal({ name: 'someone', role, via: 'token', grants });
    return auth;
  };
  const grant = (profile_id: number, role: 'viewer' | 'editor') => ({ profile_id, profile_name: `p${profile_id}`, role });

  afterEach(() => TestBed.resetTestingModule());

  it('lets a viewer with an editor grant change that profile only', () => {
    const auth = as('viewer', [grant(3, 'editor')]);
    expect([auth.mayEdit(3), auth.mayEdit(4), auth.mayEdit(null), auth.canEdit()]).toEqual([true, false, false, false]);
    expect([auth.roleOn(3), auth.roleOn(4)]).toEqual(['editor', 'viewer']);
  });

  it('makes a profile read-only to an editor with a viewer grant there, never to an admin', () => {
    const editor = as('editor', [grant(3, 'viewer')]);
    expect([editor.mayEdit(3), editor.mayEdit(4), editor.canEdit()]).toEqual([false, true, true]);
    TestBed.resetTestingModule();
    const admin = as('admin', [grant(3, 'viewer')]);
    expect([admin.mayEdit(3), admin.roleOn(3)]).toEqual([true, 'admin']);
  });

  it('lets nobody edit before the server said who is signed in', () => {
    expect(TestBed.inject(SbAuthStore).mayEdit(3)).toBe(false);
  });
});
