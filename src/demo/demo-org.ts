import type { OrgImport } from '../org/org-import.parser';

/**
 * The small demo organisation loaded into an empty database (DUBAN_DEMO_SEED=true, the default):
 * four units, their groups on DingTalk and WeCom, contacts and heads, an owner, a leader and the 督查室.
 * The ids are what the platform fakes use, so the demo and the fakes recognise the same people.
 */
export const DEMO_ORG: OrgImport = {
  units: [
    { code: 'FGW', name: '市发展改革委' },
    { code: 'CZJ', name: '市财政局' },
    { code: 'ZJJ', name: '市住房城乡建设局' },
    { code: 'JYJ', name: '市教育局' },
  ],
  people: [
    { name: '王督查', mobile: '13800000001', roles: ['supervisor', 'owner'], dingtalkUserId: 'dt-wang', wecomUserId: 'wx-wang' },
    { name: '李秘书长', mobile: '13800000002', roles: ['owner'], dingtalkUserId: 'dt-li', wecomUserId: 'wx-li' },
    { name: '赵副市长', mobile: '13800000003', roles: ['leader'], dingtalkUserId: 'dt-zhao', wecomUserId: 'wx-zhao' },
    { name: '陈联络', mobile: '13800000011', unitCode: 'FGW', roles: ['unit_contact'], dingtalkUserId: 'dt-chen' },
    { name: '周主任', mobile: '13800000012', unitCode: 'FGW', roles: ['unit_head'], dingtalkUserId: 'dt-zhou' },
    { name: '吴联络', mobile: '13800000021', unitCode: 'CZJ', roles: ['unit_contact'], wecomUserId: 'wx-wu' },
    { name: '郑局长', mobile: '13800000022', unitCode: 'CZJ', roles: ['unit_head'], wecomUserId: 'wx-zheng' },
    { name: '孙联络', mobile: '13800000031', unitCode: 'ZJJ', roles: ['unit_contact'], dingtalkUserId: 'dt-sun', wecomUserId: 'wx-sun' },
    { name: '钱联络', mobile: '13800000041', unitCode: 'JYJ', roles: ['unit_contact'], wecomUserId: 'wx-qian' },
    { name: '系统管理员', mobile: '13800000099', roles: ['admin'] },
  ],
  groups: [
    { platform: 'dingtalk', externalId: 'cidFGW0000000000000000001', name: '发改委督办群', unitCode: 'FGW', purpose: 'unit' },
    { platform: 'wecom', externalId: 'wrCZJ000000000000000000001', name: '财政局督办群', unitCode: 'CZJ', purpose: 'unit' },
    { platform: 'dingtalk', externalId: 'cidZJJ0000000000000000001', name: '住建局督办群', unitCode: 'ZJJ', purpose: 'unit' },
    { platform: 'wecom', externalId: 'wrJYJ000000000000000000001', name: '教育局督办群', unitCode: 'JYJ', purpose: 'unit' },
    { platform: 'dingtalk', externalId: 'cidBROADCAST000000000001', name: '全市督查通报群（钉钉）', purpose: 'broadcast' },
    { platform: 'wecom', externalId: 'wrBROADCAST0000000000001', name: '全市督查通报群（企业微信）', purpose: 'broadcast' },
  ],
};
