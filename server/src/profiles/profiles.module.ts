import { Module } from '@nestjs/common';
import { DefaultProfileSeeder } from './default-profile.seeder.js';

@Module({
  providers: [DefaultProfileSeeder],
  exports: [DefaultProfileSeeder],
})
export class ProfilesModule {}
