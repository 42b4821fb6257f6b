// @ts-nocheck -- written against the browser's lib.dom types (res.json(): any); kept verbatim.
/* eslint-disable */
// Seed 001's TypeScript client ("API Client", frontend/src/services/configApi.ts), kept as written
// so the test proves that front ends built on it keep working. Types below are the seed's models.
// Two additions, marked below: where the server is, and the token every request carries.

export interface ProfileSummary { id: number; name: string; description: string | null; is_default: boolean; created_at: string; updated_at: string }
export interface AIInfraConfig { profile_id: number; llm_endpoint: string; llm_temperature: number; llm_max_tokens: number; updated_at: string }
export interface AIInfraConfigUpdate { llm_endpoint?: string; llm_temperature?: number; llm_max_tokens?: number }
export interface MLflowConfig { profile_id: number; experiment_name: string; updated_at: string }
export interface MLflowConfigUpdate { experiment_name?: string }
export interface PromptsConfig { profile_id: number; system_prompt: string; slide_editing_instructions: string; user_prompt_template: string; updated_at: string }
export interface PromptsConfigUpdate { system_prompt?: string; slide_editing_instructions?: string; user_prompt_template?: string }
export interface ProfileDetail extends ProfileSummary { created_by: string | null; updated_by: string | null; ai_infra: AIInfraConfig; mlflow: MLflowConfig; prompts: PromptsConfig }
export interface ProfileCreate { name: string; description?: string | null; copy_from_profile_id?: number | null }
export interface ConfigHistoryEntry { id: number; profile_id: number; profile_name: string; domain: string; action: string; changed_by: string; changes: Record<string, any>; timestamp: string }

// Addition 1: where the server is (Vite's import.meta.env is not here).
let API_BASE = 'http://localhost:8000';
export function setApiBase(url: string): void {
  API_BASE = url;
}

// Addition 2: the API token. Every configuration route requires one, which the seed asked for
// ("All config endpoints require authentication"); the client's methods below stay as written.
let API_TOKEN = '';
export function setApiToken(token: string): void {
  API_TOKEN = token;
}
const fetch = (input: string, init: RequestInit = {}) =>
  globalThis.fetch(input, { ...init, headers: { ...init.headers, Authorization: `Bearer ${API_TOKEN}` } });

export const configApi = {
  // Profiles
  async listProfiles(): Promise<ProfileSummary[]> {
    const res = await fetch(`${API_BASE}/api/config/profiles`);
    return res.json();
  },
  
  async getDefaultProfile(): Promise<ProfileDetail> {
    const res = await fetch(`${API_BASE}/api/config/profiles/default`);
    return res.json();
  },
  
  async getProfile(profileId: number): Promise<ProfileDetail> {
    const res = await fetch(`${API_BASE}/api/config/profiles/${profileId}`);
    return res.json();
  },
  
  async createProfile(data: ProfileCreate): Promise<ProfileDetail> {
    const res = await fetch(`${API_BASE}/api/config/profiles`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(data),
    });
    return res.json();
  },
  
  async loadProfile(profileId: number): Promise<ProfileDetail> {
    const res = await fetch(`${API_BASE}/api/config/profiles/${profileId}/load`, {
      method: 'POST',
    });
    return res.json();
  },
  
  async setDefaultProfile(profileId: number): Promise<ProfileDetail> {
    const res = await fetch(`${API_BASE}/api/config/profiles/${profileId}/set-default`, {
      method: 'POST',
    });
    return res.json();
  },
  
  async duplicateProfile(profileId: number, newName: string): Promise<ProfileDetail> {
    const res = await fetch(`${API_BASE}/api/config/profiles/${profileId}/duplicate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: newName }),
    });
    return res.json();
  },
  
  async deleteProfile(profileId: number): Promise<void> {
    await fetch(`${API_BASE}/api/config/profiles/${profileId}`, {
      method: 'DELETE',
    });
  },
  
  // AI Infrastructure
  async getAIInfraConfig(profileId: number): Promise<AIInfraConfig> {
    const res = await fetch(`${API_BASE}/api/config/ai-infra/${profileId}`);
    return res.json();
  },
  
  async updateAIInfraConfig(profileId: number, data: AIInfraConfigUpdate): Promise<AIInfraConfig> {
    const res = await fetch(`${API_BASE}/api/config/ai-infra/${profileId}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(data),
    });
    return res.json();
  },
  
  async getAvailableEndpoints(): Promise<string[]> {
    const res = await fetch(`${API_BASE}/api/config/ai-infra/endpoints`);
    return res.json();
  },
  
  // MLflow
  async getMLflowConfig(profileId: number): Promise<MLflowConfig> {
    const res = await fetch(`${API_BASE}/api/config/mlflow/${profileId}`);
    return res.json();
  },
  
  async updateMLflowConfig(profileId: number, data: MLflowConfigUpdate): Promise<MLflowConfig> {
    const res = await fetch(`${API_BASE}/api/config/mlflow/${profileId}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(data),
    });
    return res.json();
  },
  
  // Prompts
  async getPromptsConfig(profileId: number): Promise<PromptsConfig> {
    const res = await fetch(`${API_BASE}/api/config/prompts/${profileId}`);
    return res.json();
  },
  
  async updatePromptsConfig(profileId: number, data: PromptsConfigUpdate): Promise<PromptsConfig> {
    const res = await fetch(`${API_BASE}/api/config/prompts/${profileId}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(data),
    });
    return res.json();
  },
  
  // History
  async getConfigHistory(profileId?: number): Promise<ConfigHistoryEntry[]> {
    const url = profileId 
      ? `${API_BASE}/api/config/history/${profileId}`
      : `${API_BASE}/api/config/history`;
    const res = await fetch(url);
    return res.json();
  },
  
  // System
  async reloadConfiguration(profileId?: number): Promise<{ status: string }> {
    const url = profileId 
      ? `${API_BASE}/api/config/reload?profile_id=${profileId}`
      : `${API_BASE}/api/config/reload`;
    const res = await fetch(url, {
      method: 'POST',
    });
    return res.json();
  },
};
