import { type DynamicModule, Module } from '@nestjs/common';
import { BulletinModule } from '../../bulletins/bulletin.module';
import { CasesModule } from '../../cases/cases.module';
import { SIMULATOR, type SimulatorPort } from '../simulator.port';
import { DEFAULT_PACE, SCENARIO_PACE, type ScenarioPace, ScenarioRunner } from './scenario-runner';
import { ScenariosController } from './scenarios.controller';

/** Issue 16 §5: the guided scenarios — only in demo mode, over the simulator the demo brought. */
@Module({})
export class ScenariosModule {
  static register(sim: SimulatorPort, pace: Partial<ScenarioPace> = {}): DynamicModule {
    return {
      module: ScenariosModule,
      imports: [CasesModule, BulletinModule],
      controllers: [ScenariosController],
      providers: [ScenarioRunner, { provide: SIMULATOR, useValue: sim }, { provide: SCENARIO_PACE, useValue: { ...DEFAULT_PACE, ...pace } }],
    };
  }
}
