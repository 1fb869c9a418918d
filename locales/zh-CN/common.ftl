### Names of the domain's values, shown in lists, reports and inside other messages.
### The same keys live in every locale (a test in src/i18n.rs checks it).

## 建议状态 (State)

state-submitted = 已提交
state-returned = 退回修改
state-withdrawn = 已撤回
state-accepted = 已受理
state-assigned = 已交办
state-replied = 已答复
state-explaining = 待说明
state-closed = 已办结
state-merged = 已合并
state-transferred = 已转报
state-declined = 不予受理

## 三色督办 (Colour)

colour-green = 绿色
colour-yellow = 黄色
colour-red = 红色

## 评价 (Rating)

rating-satisfied = 满意
rating-basic = 基本满意
rating-unsatisfied = 不满意

## 分级 (Level)

level-town = 镇（街道）级
level-district = 区（县）级
level-higher = 市级及以上

## 角色 (Role)

role-deputy = 人大代表
role-leader = 代表小组组长
role-clerk = 代表工作人员
role-secretary = 人大秘书
role-chair = 人大主席（主任）
role-unit = 承办单位联系人
role-admin = 系统管理员

## 办结方式 (Outcome)

outcome-rated = 已评价
outcome-explained = 已作说明
outcome-unrated = 逾期未评价
outcome-passed = 常委会表决通过结案

## 分类 (the default categories; a configured category without a key is shown by its code)

category-economy = 经济发展
category-governance = 社会治理
category-public_affairs = 公共事务
category-environment = 环境资源
category-livelihood = 民生保障
category-other = 其他
category-name =
    { $code ->
        [economy] { category-economy }
        [governance] { category-governance }
        [public_affairs] { category-public_affairs }
        [environment] { category-environment }
        [livelihood] { category-livelihood }
        [other] { category-other }
       *[unknown] { $code }
    }
