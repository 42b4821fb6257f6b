import { Body, Controller, Delete, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole } from '../common/http/access.js';
import { Actor, type AuthenticatedRequest } from '../common/http/actor.decorator.js';
import { ApiIdParam, IdParam } from '../common/http/id-param.js';
import { ApiProblems } from '../common/http/problem-responses.js';
import { ApiTokenDto, CreateApiTokenDto, CreatedApiTokenDto, PrincipalDto } from './dto/token.dto.js';
import { ProfileGrantsService } from './profile-grants.service.js';
import { TokensService } from './tokens.service.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly tokens: TokensService,
    private readonly grants: ProfileGrantsService,
  ) {}

  @Get('me')
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'Who the request is authenticated as, with which role, and the roles granted to it on single profiles' })
  @ApiOkResponse({ type: PrincipalDto })
  async getCurrentPrincipal(@Req() request: AuthenticatedRequest): Promise<PrincipalDto> {
    const principal = request.principal!;
    return { name: principal.name, role: principal.role, via: principal.via, grants: await this.grants.heldBy(principal) };
  }

  @Get('tokens')
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Every API token, revoked ones included; secrets are never shown again' })
  @ApiOkResponse({ type: [ApiTokenDto] })
  listApiTokens(): Promise<ApiTokenDto[]> {
    return this.tokens.list();
  }

  @Post('tokens')
  @RequiresRole('admin')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Create a token; the response carries its secret, the only time it is shown' })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  @ApiProblems(400, 409, 422)
  createApiToken(@Body() body: CreateApiTokenDto, @Actor() actor: string): Promise<CreatedApiTokenDto> {
    return this.tokens.create(body, actor);
  }

  @Delete('tokens/:id')
  @HttpCode(200)
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Revoke a token: every instance refuses it from the next request on' })
  @ApiIdParam('id', 'Token id')
  @ApiOkResponse({ type: ApiTokenDto })
  @ApiProblems(400, 404)
  revokeApiToken(@IdParam('id') id: number, @Actor() actor: string): Promise<ApiTokenDto> {
    return this.tokens.revoke(id, actor);
  }
}
