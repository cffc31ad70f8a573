/** Words of service certification (服务认证). Chinese first. */
export const serviceWords = {
  zh: {
    title: '服务认证', rule: '计分规则（按小时）', activity: '活动名称', team: '志愿队', roster: '志愿者名单',
    day: '活动日期', today: '今天', yesterday: '昨天', onDay: (day: string) => `（${day.slice(5)} 的活动）`,
    addHint: '扫志愿者的居民卡，或在右边「找志愿者」添加。', findVolunteer: '找志愿者（姓名、拼音首字母、手机尾号）', minutes: '服务分钟', remove: '移除', empty: '还没有添加志愿者。',
    points: (n: number) => `${n} 分`, certify: '认证全部', noHourRules: '没有按小时计分的规则，请管理员添加。',
    confirmTitle: '确认认证服务时长？', confirmBody: (people: number, activity: string, points: number) => `为 ${people} 位志愿者认证「${activity}」的服务时长，共 ${points} 分。`,
    certified: (people: number, points: number) => `已认证 ${people} 位志愿者，共 ${points} 分。`,
    recent: '近 7 天已认证', none: '近 7 天没有认证记录。', correct: '更正',
    correctTitle: '更正服务时长', correctBody: '积分按规则随时长更正，差额记一笔更正，原记录保留。', newMinutes: '更正后的分钟数', corrected: '已更正，等待同步。',
    alreadyOn: '这位志愿者已在名单上。',
  },
  en: {
    title: 'Service certification', rule: 'Rule (per hour)', activity: 'Activity', team: 'Volunteer team', roster: 'Volunteers',
    day: 'Day of the activity', today: 'Today', yesterday: 'Yesterday', onDay: (day: string) => ` (the activity of ${day.slice(5)})`,
    addHint: 'Scan a volunteer\'s resident card, or find them on the right.', findVolunteer: 'Find a volunteer (name, pinyin initials, phone tail)', minutes: 'Minutes', remove: 'Remove', empty: 'No volunteer added yet.',
    points: (n: number) => `${n} pts`, certify: 'Certify all', noHourRules: 'No rule counts per hour: an admin adds one.',
    confirmTitle: 'Certify these hours?', confirmBody: (people: number, activity: string, points: number) => `Hours of ${people} volunteers at "${activity}", ${points} points in all.`,
    certified: (people: number, points: number) => `${people} volunteers certified, ${points} points in all.`,
    recent: 'Certified in the last 7 days', none: 'Nothing certified in the last 7 days.', correct: 'Correct',
    correctTitle: 'Correct the hours', correctBody: 'The points follow the rule: the difference is booked as a correction; the entry stays on record.', newMinutes: 'Minutes, corrected', corrected: 'Corrected, waiting to sync.',
    alreadyOn: 'This volunteer is on the roster already.',
  },
};
